/* common.c: small helpers every command shares: where the archive is, JSON strings. */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../i18n.h"
#include "cli.h"

const char *sh_cli_status(const char *status)
{
    if (strcmp(status, "archived") == 0)
        return _("archived");
    if (strcmp(status, "writing") == 0)
        return _("writing");
    return status;
}

const char *sh_cli_operator(void)
{
    const char *env = getenv("SOHOA_OPERATOR");
    if (env && *env)
        return env;
    struct passwd *pw = getpwuid(geteuid());
    return pw && pw->pw_name ? pw->pw_name : "unknown";
}

const char *sh_cli_archive(const char *given)
{
    const char *env = getenv("SOHOA_ARCHIVE");
    if (given && *given)
        return given;
    if (env && *env)
        return env;
    return "archive";
}

void sh_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f); /* UTF-8 passes through: JSON is UTF-8 */
        }
    }
    fputc('"', f);
}
