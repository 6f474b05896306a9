/* config.c: the configuration files, so a centre sets sohoa up once.
 *
 * Read in order, later ones winning: /etc/sohoa.conf ($SOHOA_SYSCONF overrides the path),
 * $XDG_CONFIG_HOME/sohoa/sohoa.conf (else ~/.config/sohoa/sohoa.conf), then --config FILE.
 * The format is INI, parsed by inih (Debian's libinih). A section named after a command
 * holds that command's long options, `key = value` for `--key=value`, `key = true` for a
 * flag ([run] also applies to watch, which takes run's options). The [sohoa] section sets
 * what every command reads from the environment (archive, operator, io, organization)
 * unless the environment already says otherwise. The command line beats everything: the
 * options from the files go in front of the user's, and the last one given wins.
 * Secrets never come from here: there is no option that takes a PIN, only a PIN file.
 */
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"

typedef struct reader {
    const char *cmd;
    char **args;       /* options gathered, in file order */
    int nargs;
    const char *file;
    char bad[256];     /* the first complaint */
} reader;

/* what sh_config_args made lives as long as the process; volatile: at -O2 the compiler
 * drops a store to a static nobody reads, and valgrind then calls the array lost */
static char **volatile kept_argv;

static const struct {
    const char *key, *env;
} env_keys[] = {
    {"archive", "SOHOA_ARCHIVE"},
    {"operator", "SOHOA_OPERATOR"},
    {"io", "SOHOA_IO"},
    {"organization", "SOHOA_ORGANIZATION"},
};

static bool is_true(const char *v)
{
    return !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on");
}

static bool is_false(const char *v)
{
    return !strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off");
}

static int on_entry(void *ctx, const char *section, const char *name, const char *value)
{
    reader *r = ctx;
    char opt[256];

    if (strcmp(section, "sohoa") == 0) {
        for (size_t i = 0; i < sizeof env_keys / sizeof *env_keys; i++)
            if (strcmp(name, env_keys[i].key) == 0) {
                setenv(env_keys[i].env, value, 0); /* the environment, if set, wins */
                return 1;
            }
        snprintf(r->bad, sizeof r->bad, "[sohoa] has no '%s' (archive, operator, io, "
                 "organization)", name);
        return 0;
    }
    bool mine = strcmp(section, r->cmd) == 0 ||
                (strcmp(section, "run") == 0 && strcmp(r->cmd, "watch") == 0);
    if (!mine)
        return 1;
    if (strstr(name, "pin") && !strstr(name, "pin_file") && !strstr(name, "pin-file")) {
        snprintf(r->bad, sizeof r->bad, "'%s': a PIN is never written in a configuration "
                 "file; use pin_file or $SOHOA_PIN", name);
        return 0;
    }
    size_t n = 0;
    n += (size_t)snprintf(opt, sizeof opt, "--");
    for (const char *p = name; *p && n + 1 < sizeof opt; p++)
        opt[n++] = *p == '_' ? '-' : *p; /* ocr_dpi = ocr-dpi */
    opt[n] = '\0';
    if (is_false(value))
        return 1; /* a flag left off */
    char *arg;
    if (is_true(value) || !*value)
        arg = strdup(opt);
    else if (asprintf(&arg, "%s=%s", opt, value) < 0)
        arg = NULL;
    char **grown = arg ? realloc(r->args, (size_t)(r->nargs + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(arg);
        snprintf(r->bad, sizeof r->bad, "out of memory");
        return 0;
    }
    r->args = grown;
    r->args[r->nargs++] = arg;
    return 1;
}

static int read_file(reader *r, const char *path, bool must_exist, sh_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!must_exist)
            return 0;
        return sh_fail(err, SH_EUSAGE, "the configuration file %s cannot be read: %m", path);
    }
    r->file = path;
    int line = ini_parse_file(f, on_entry, r);
    fclose(f);
    if (line != 0)
        return sh_fail(err, SH_EUSAGE, "%s, line %d: %s", path, line,
                       r->bad[0] ? r->bad : "not 'key = value' or '[section]'");
    return 0;
}

int sh_config_args(const char *cmd, int argc, char **argv, int *out_argc, char ***out_argv,
                   sh_error *err)
{
    reader r = {.cmd = cmd};
    const char *explicit_path = NULL;
    char user[4096];
    int rc = 0;

    /* --config FILE is taken out of the command line before the command sees it */
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    int nrest = 0;
    if (!rest)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    for (int i = 0; i < argc; i++) {
        if (i > 0 && strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            explicit_path = argv[++i];
        else if (i > 0 && strncmp(argv[i], "--config=", 9) == 0)
            explicit_path = argv[i] + 9;
        else
            rest[nrest++] = argv[i];
    }

    const char *sys = getenv("SOHOA_SYSCONF");
    rc = read_file(&r, sys && *sys ? sys : "/etc/sohoa.conf", false, err);
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (rc == 0 && xdg && *xdg)
        snprintf(user, sizeof user, "%s/sohoa/sohoa.conf", xdg);
    else if (rc == 0 && home && *home)
        snprintf(user, sizeof user, "%s/.config/sohoa/sohoa.conf", home);
    else
        user[0] = '\0';
    if (rc == 0 && user[0])
        rc = read_file(&r, user, false, err);
    if (rc == 0 && explicit_path)
        rc = read_file(&r, explicit_path, true, err);

    if (rc == 0) {
        /* the command name, the files' options, then the user's own */
        char **v = calloc((size_t)(nrest + r.nargs + 1), sizeof *v);
        if (!v) {
            rc = sh_fail(err, SH_ENOMEM, "out of memory");
        } else {
            int k = 0;
            v[k++] = rest[0];
            for (int i = 0; i < r.nargs; i++)
                v[k++] = r.args[i];
            for (int i = 1; i < nrest; i++)
                v[k++] = rest[i];
            *out_argc = k;
            *out_argv = kept_argv = v;
        }
    }
    if (rc < 0)
        for (int i = 0; i < r.nargs; i++)
            free(r.args[i]);
    free(r.args); /* the strings live on in *out_argv for the life of the process */
    free(rest);
    return rc;
}
