/* cli.h: the sohoa commands. Each takes argc/argv after the command name and returns the
 * process exit status: 0 all good, 2 some inputs failed, 1 usage or fatal error. */
#ifndef SOHOA_CLI_H
#define SOHOA_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "sohoa/sign.h"

enum { SH_EXIT_OK = 0, SH_EXIT_FATAL = 1, SH_EXIT_PARTIAL = 2 };

int sh_cmd_run(int argc, char **argv);
int sh_cmd_watch(int argc, char **argv);
int sh_cmd_list(int argc, char **argv);
int sh_cmd_audit(int argc, char **argv);  /* verify --archive: fixity */
int sh_cmd_repair(int argc, char **argv);
int sh_cmd_export(int argc, char **argv);
int sh_cmd_report(int argc, char **argv);
int sh_cmd_search(int argc, char **argv);
int sh_cmd_show(int argc, char **argv);
int sh_cmd_cancel(int argc, char **argv);
int sh_cmd_reindex(int argc, char **argv);
int sh_cmd_sign(int argc, char **argv);
int sh_cmd_verify(int argc, char **argv);

/* The PIN or passphrase: the first line of pin_file, else $SOHOA_PIN, else NULL (never
 * argv: other users see a process's arguments). Free with sh_cli_free_pin. */
int sh_cli_read_pin(const char *pin_file, char **pin);
void sh_cli_free_pin(char *pin);
/* "digitizer", "agency", "result", "copy", "none"; "X,Y" in points. Print why on failure. */
int sh_cli_profile(const char *name, sh_sign_profile *p);
int sh_cli_pos(const char *s, double *x, double *y);

/* The archive folder: --archive, else $SOHOA_ARCHIVE, else ./archive. */
const char *sh_cli_archive(const char *given);

/* Who runs sohoa, for the event log: $SOHOA_OPERATOR, else the login name, else "unknown". */
const char *sh_cli_operator(void);

/* A dossier's catalog status ("writing", "archived") in the user's language, for people;
 * JSON keeps the catalog's word. */
const char *sh_cli_status(const char *status);

/* Writes s as a JSON string literal (quotes included). */
void sh_json_string(FILE *f, const char *s);

#endif
