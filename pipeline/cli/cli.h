/* cli.h: the sohoa commands. Each takes argc/argv after the command name and returns the
 * process exit status: 0 all good, 2 some inputs failed, 1 usage or fatal error. */
#ifndef SOHOA_CLI_H
#define SOHOA_CLI_H

#include <stdio.h>

enum { SH_EXIT_OK = 0, SH_EXIT_FATAL = 1, SH_EXIT_PARTIAL = 2 };

int sh_cmd_run(int argc, char **argv);
int sh_cmd_list(int argc, char **argv);
int sh_cmd_audit(int argc, char **argv);  /* verify --archive: fixity */
int sh_cmd_repair(int argc, char **argv);
int sh_cmd_export(int argc, char **argv);
int sh_cmd_search(int argc, char **argv);
int sh_cmd_show(int argc, char **argv);
int sh_cmd_cancel(int argc, char **argv);
int sh_cmd_reindex(int argc, char **argv);

/* The archive folder: --archive, else $SOHOA_ARCHIVE, else ./archive. */
const char *sh_cli_archive(const char *given);

/* Who runs sohoa, for the event log: $SOHOA_OPERATOR, else the login name, else "unknown". */
const char *sh_cli_operator(void);

/* Writes s as a JSON string literal (quotes included). */
void sh_json_string(FILE *f, const char *s);

#endif
