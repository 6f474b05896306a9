/* signopts.c: the signing options `run` and `sign` share: the PIN (never from argv), the
 * stamp profiles and positions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../i18n.h"
#include "cli.h"

int sh_cli_read_pin(const char *pin_file, char **pin)
{
    *pin = NULL;
    if (pin_file) {
        FILE *f = fopen(pin_file, "r");
        char line[1024];
        if (!f) {
            fprintf(stderr, _("sohoa: --pin-file %s: cannot be read (%m)\n"), pin_file);
            return -1;
        }
        if (!fgets(line, sizeof line, f))
            line[0] = 0;
        fclose(f);
        line[strcspn(line, "\r\n")] = 0;
        *pin = strdup(line);
        explicit_bzero(line, sizeof line);
        return *pin ? 0 : -1;
    }
    const char *env = getenv("SOHOA_PIN");
    if (env)
        *pin = strdup(env);
    return 0;
}

void sh_cli_free_pin(char *pin)
{
    if (pin) {
        explicit_bzero(pin, strlen(pin));
        free(pin);
    }
}

int sh_cli_profile(const char *name, sh_sign_profile *p)
{
    static const struct {
        const char *name;
        sh_sign_profile p;
    } t[] = {
        {"none", SH_PROFILE_NONE},     {"invisible", SH_PROFILE_NONE},
        {"digitizer", SH_PROFILE_DIGITIZER}, {"agency", SH_PROFILE_AGENCY},
        {"result", SH_PROFILE_RESULT}, {"copy", SH_PROFILE_COPY},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(name, t[i].name) == 0) {
            *p = t[i].p;
            return 0;
        }
    fprintf(stderr, _("sohoa: unknown signing profile '%s' (digitizer, agency, result, copy, "
                      "none)\n"), name);
    return -1;
}

int sh_cli_pos(const char *s, double *x, double *y)
{
    char *end;
    *x = strtod(s, &end);
    if (*end != ',' || *x < 0) {
        fprintf(stderr, _("sohoa: a position is X,Y in points from the top-left, not '%s'\n"), s);
        return -1;
    }
    *y = strtod(end + 1, &end);
    if (*end || *y < 0) {
        fprintf(stderr, _("sohoa: a position is X,Y in points from the top-left, not '%s'\n"), s);
        return -1;
    }
    return 0;
}
