/* appearance.c: the visible stamps (NĐ 30/2020, TT 01/2023). Not built yet: a visible
 * profile is refused with a clear message rather than signed invisibly. */
#include "sign_int.h"

int sh_stamp_write(sh_update *u, const sh_signer *s, const sh_sign_request *rq,
                   const sh_page_geom *g, double rect[4], unsigned *ap, sh_error *err)
{
    (void)u, (void)s, (void)rq, (void)g, (void)rect, (void)ap;
    return sh_fail(err, SH_EUNSUPPORTED, "visible signature stamps are not available yet; "
                   "use --profile none");
}

int sh_qr_write(sh_update *u, const sh_sign_request *rq, const sh_page_geom *g,
                unsigned page_num, unsigned page_gen, unsigned *annot, sh_error *err)
{
    (void)u, (void)rq, (void)g, (void)page_num, (void)page_gen, (void)annot;
    return sh_fail(err, SH_EUNSUPPORTED, "QR codes are not available yet");
}
