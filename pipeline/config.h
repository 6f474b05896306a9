/* config.h: configuration files as default options (see config.c for where they are and
 * what they may say). */
#ifndef SOHOA_CONFIG_H
#define SOHOA_CONFIG_H

#include "sohoa/error.h"

/* The arguments command `cmd` runs with: argv[0], then the options the configuration files
 * give it, then argv[1..] without --config FILE. Sets the environment from [sohoa]. */
int sh_config_args(const char *cmd, int argc, char **argv, int *out_argc, char ***out_argv,
                   sh_error *err);

#endif
