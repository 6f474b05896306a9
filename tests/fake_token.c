/* fake_token.c: a PKCS#11 module that stands in for a token pulled out in the middle of a
 * batch. It forwards every call to a real module (SoftHSM2, or $SOHOA_FAKE_TOKEN_MODULE)
 * and, after $SOHOA_FAKE_TOKEN_SIGNS signatures, answers every C_Sign with
 * CKR_DEVICE_REMOVED, as a token's driver does when the token is gone. Tests only. */
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <p11-kit/pkcs11.h>

static CK_FUNCTION_LIST real_copy, fake;
static CK_FUNCTION_LIST_PTR real;
static atomic_long signs_left = -1;

static CK_RV fake_sign(CK_SESSION_HANDLE s, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig,
                       CK_ULONG_PTR siglen)
{
    if (sig && atomic_fetch_sub(&signs_left, 1) <= 0) /* sig == NULL only asks the size */
        return CKR_DEVICE_REMOVED;
    return real->C_Sign(s, data, len, sig, siglen);
}

static CK_RV fake_sign_init(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key)
{
    if (atomic_load(&signs_left) <= 0) /* gone is gone: no new operation either */
        return CKR_DEVICE_REMOVED;
    return real->C_SignInit(s, m, key);
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
    if (!real) {
        const char *path = getenv("SOHOA_FAKE_TOKEN_MODULE");
        void *so = dlopen(path && *path ? path : "/usr/lib/softhsm/libsofthsm2.so", RTLD_NOW);
        CK_C_GetFunctionList get = so ? (CK_C_GetFunctionList)dlsym(so, "C_GetFunctionList") : NULL;
        CK_FUNCTION_LIST_PTR r = NULL;
        if (!get || get(&r) != CKR_OK || !r)
            return CKR_GENERAL_ERROR;
        real_copy = *r;
        real = &real_copy;
        fake = *r;
        fake.C_Sign = fake_sign;
        fake.C_SignInit = fake_sign_init;
        fake.C_GetFunctionList = C_GetFunctionList;
        const char *n = getenv("SOHOA_FAKE_TOKEN_SIGNS");
        atomic_store(&signs_left, n ? atol(n) : 1000000);
    }
    *list = &fake;
    return CKR_OK;
}
