/* i18n.h: messages in the user's language (gettext, text domain "sohoa"). Vietnamese under
 * a vi locale (LANG, LC_ALL, LC_MESSAGES, LANGUAGE), English otherwise. JSON output and
 * the catalog are never translated. */
#ifndef SOHOA_I18N_H
#define SOHOA_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) s /* marks a string for translation where it is defined, not where it is used */

/* Sets the locale from the environment (numbers stay in the C locale: JSON and Tesseract
 * need a decimal point) and finds the translations. Call first thing in main(). */
void sh_i18n_init(const char *argv0);

/* Whether messages come out in Vietnamese (what gettext chose, LANGUAGE included). */
#include <stdbool.h>
bool sh_i18n_vietnamese(void);

#endif
