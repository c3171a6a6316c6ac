/* CSV writer: quoting per RFC 4180 and formula defusing for spreadsheet consumers. */
#include "util/csv_write.h"

#include <string.h>

static bool needs_quotes(const char *value, size_t len)
{
    size_t i;

    if (len > 0 && (value[0] == ' ' || value[len - 1] == ' '))
        return true;
    for (i = 0; i < len; i++)
        if (value[i] == ',' || value[i] == '"' || value[i] == '\r' || value[i] == '\n')
            return true;
    return false;
}

/* A leading + or - followed only by digits and phone punctuation is a number (an E.164 phone,
 * a negative count), not a formula, and must reach the CRM unchanged. */
static bool is_signed_number(const char *value, size_t len)
{
    size_t i;

    if (len < 2 || (value[0] != '+' && value[0] != '-'))
        return false;
    for (i = 1; i < len; i++)
        if (strchr("0123456789 ().-", value[i]) == NULL)
            return false;
    return true;
}

static bool starts_like_formula(const char *value, size_t len)
{
    return len > 0 && strchr("=+-@\t\r", value[0]) != NULL && !is_signed_number(value, len);
}

enum pr_code csv_write_field(struct buf *out, const char *value, size_t len, bool defuse_formulas)
{
    bool is_formula = defuse_formulas && starts_like_formula(value, len);
    bool is_quoted = is_formula || needs_quotes(value, len);
    size_t i, start = 0;
    enum pr_code rc = PR_OK;

    if (is_quoted)
        rc = buf_putc(out, '"');
    if (rc == PR_OK && is_formula)
        rc = buf_putc(out, '\'');
    for (i = 0; rc == PR_OK && i < len; i++) {
        if (value[i] != '"')
            continue;
        rc = buf_append(out, value + start, i - start + 1); /* through the quote... */
        if (rc == PR_OK)
            rc = buf_putc(out, '"'); /* ...then double it */
        start = i + 1;
    }
    if (rc == PR_OK)
        rc = buf_append(out, value + start, len - start);
    if (rc == PR_OK && is_quoted)
        rc = buf_putc(out, '"');
    return rc;
}

enum pr_code csv_write_record(struct buf *out, const char *const *fields, size_t n_fields,
                              bool defuse_formulas)
{
    size_t i;
    enum pr_code rc = PR_OK;

    for (i = 0; rc == PR_OK && i < n_fields; i++) {
        const char *v = fields[i] ? fields[i] : "";

        if (i > 0)
            rc = buf_putc(out, ',');
        if (rc == PR_OK)
            rc = csv_write_field(out, v, strlen(v), defuse_formulas);
    }
    if (rc == PR_OK)
        rc = buf_puts(out, "\r\n");
    return rc;
}
