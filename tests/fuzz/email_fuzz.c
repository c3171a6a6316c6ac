/*
 * Fuzz target for core/email. Normalizes the input as a lead address and checks:
 *  - an accepted address has a display form of at most 254 bytes, a key that is the display
 *    form lower-cased (byte for byte on ASCII), a lower-case ASCII domain that ends the
 *    display form, and normalizing the display form again gives the same display and key;
 *  - the login form agrees with the lead form on the trimmed input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/email.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct email_norm norm, again;
    struct pr_error err;
    size_t display_len, domain_len, i;
    char *copy, login[EMAIL_BUF_SIZE];

    if (email_normalize_lead(text, size, &norm, &err) == PR_OK) {
        display_len = strlen(norm.display);
        domain_len = strlen(norm.domain);
        check(display_len <= EMAIL_MAX_LEN && strlen(norm.key) <= EMAIL_MAX_LEN);
        check(domain_len > 0 && domain_len < display_len);
        check(strcmp(norm.display + display_len - domain_len, norm.domain) == 0);
        check(norm.display[display_len - domain_len - 1] == '@');
        for (i = 0; i < domain_len; i++)
            check(norm.domain[i] == '.' || norm.domain[i] == '-' ||
                  (norm.domain[i] >= 'a' && norm.domain[i] <= 'z') ||
                  (norm.domain[i] >= '0' && norm.domain[i] <= '9'));
        for (i = 0; norm.display[i] != '\0' && (unsigned char)norm.display[i] < 0x80; i++) {
            char c = norm.display[i];

            check(norm.key[i] == ((c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c));
        }
        check(email_normalize_lead(norm.display, display_len, &again, &err) == PR_OK);
        check(strcmp(again.display, norm.display) == 0 && strcmp(again.key, norm.key) == 0);
        check(again.is_role == norm.is_role && again.is_free_mail == norm.is_free_mail);
    } else {
        check(err.code == PR_INVALID && err.message[0] != '\0');
    }

    /* The login form takes a C string: stop at the first NUL. */
    copy = xstrndup(text, size);
    if (email_normalize(copy, login, sizeof login, &err) == PR_OK)
        check(strlen(login) <= EMAIL_MAX_LEN);
    xfree(copy);
    return 0;
}
