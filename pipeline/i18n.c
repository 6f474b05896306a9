/* i18n.c: where the translations are and which language the user reads. */
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

static bool wants_vietnamese(void)
{
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strncmp(v, "vi", 2) == 0;
    }
    return false;
}

void sh_i18n_init(const char *argv0)
{
    (void)argv0;
    if (!setlocale(LC_ALL, "") && wants_vietnamese()) {
        /* vi_VN.UTF-8 asked for but not generated on this machine (locale-gen): the
         * messages are Vietnamese anyway, through LANGUAGE over the built-in UTF-8 locale */
        setenv("LANGUAGE", "vi", 0);
        setlocale(LC_ALL, "C.UTF-8");
    }
    setlocale(LC_NUMERIC, "C");

    /* the translations next to a build (build/locale) win over the installed ones, so a
     * fresh build speaks Vietnamese before `cmake --install` */
    char exe[4096], dir[4200];
    const char *where = SOHOA_LOCALEDIR;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    struct stat st;
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(dir, sizeof dir, "%s/locale", exe);
            if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
                where = dir;
        }
    }
    const char *env = getenv("SOHOA_LOCALEDIR");
    if (env && *env)
        where = env;
    bindtextdomain("sohoa", where);
    bind_textdomain_codeset("sohoa", "UTF-8");
    textdomain("sohoa");
}

bool sh_i18n_vietnamese(void)
{
    /* TRANSLATORS: the language's own code, as in the PO file's name */
    return strcmp(_("language: en"), "language: en") != 0 &&
           strncmp(_("language: en"), "language: vi", 12) == 0;
}
