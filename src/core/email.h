/*
 * E-mail addresses: the syntax check, the display form, the matching key and the role and
 * free-mail flags of a lead's address. Pure functions; thread-safe.
 *
 * Syntax policy (accept what real mail systems accept, reject what only the RFCs allow):
 *  - local part: an RFC 5321 Dot-string of atext (letters, digits and !#$%&'*+-/=?^_`{|}~),
 *    1-64 bytes, no leading, trailing or doubled dot; UTF-8 letters are accepted as RFC 6531
 *    (SMTPUTF8) allows and the large providers deliver;
 *  - quoted local parts ("john smith"@example.com) are REJECTED: mailbox providers do not
 *    hand them out, most sending services refuse them, and in lead files they are almost
 *    always quoting damage from a broken CSV export;
 *  - comments, folding white space, obsolete RFC 822 forms and control characters anywhere
 *    (CR and LF included) are rejected; only spaces, tabs and no-break spaces around the
 *    address are trimmed;
 *  - the domain is a host name of at least two labels whose last label is not numeric,
 *    converted to ASCII with domain_to_ascii (IDN -> Punycode). Address literals
 *    (user@[192.0.2.1]) and dotless domains (user@io) are rejected: no organization receives
 *    mail that way, ICANN forbids mail on bare TLDs (SAC053), and "name@gmail" is a typing
 *    error, not an address;
 *  - at most 254 bytes in all (RFC 5321 path limit less the angle brackets), counted on the
 *    ASCII form of the domain.
 * The Dominic Sayers test set (tests/unit/core/email_conformance_test.c) holds us to this.
 */
#ifndef PROSPECT_CORE_EMAIL_H
#define PROSPECT_CORE_EMAIL_H

#include "core/domain.h"
#include "util/error.h"

#include <stdbool.h>
#include <stddef.h>

#define EMAIL_MAX_LEN       254
#define EMAIL_LOCAL_MAX_LEN 64
#define EMAIL_BUF_SIZE      (EMAIL_MAX_LEN + 1)

struct email_norm {
    /* local@domain: the local part as written, the domain in lower-case ASCII. The form to
     * show and to send to. */
    char display[EMAIL_BUF_SIZE];
    /* The matching key: the display form in lower case. Dots and "+tags" are NOT removed:
     * "john.smith" and "johnsmith", "sales+eu" and "sales" are different mailboxes at most
     * providers (only Gmail ignores dots), so merging them would join different people. */
    char key[EMAIL_BUF_SIZE];
    /* The domain, lower-case ASCII (Punycode for IDN). */
    char domain[DOMAIN_BUF_SIZE];
    /* The local part names a function, not a person (email_is_role_local). */
    bool is_role;
    /* The domain is a personal mailbox provider (email_is_free_mail_domain). */
    bool is_free_mail;
};

/*
 * Checks and normalizes a lead's e-mail address (`len` bytes of UTF-8, NUL bytes allowed and
 * rejected) under the policy above, and fills `out`. PR_INVALID with the reason otherwise (the
 * content of `out` is then unspecified).
 */
enum pr_code email_normalize_lead(const char *text, size_t len, struct email_norm *out,
                                  struct pr_error *err);

/*
 * The login form: trims any ASCII white space (a trailing newline from a terminal included),
 * applies the same syntax check as email_normalize_lead and writes the matching key into
 * `out`. PR_INVALID with the reason otherwise, or when the key does not fit in `out_size`.
 */
enum pr_code email_normalize(const char *address, char *out, size_t out_size, struct pr_error *err);

/*
 * True when the local part (before any "+tag", case-insensitive) is a role mailbox that
 * reaches a team or a machine rather than a person: abuse, accounting, accounts, admin,
 * administrator, billing, careers, contact, contactus, customercare, customerservice,
 * do-not-reply, donotreply, enquiries, enquiry, finance, hello, help, helpdesk, hr, info,
 * inquiries, inquiry, jobs, legal, mail, marketing, media, no-reply, noreply, office, orders,
 * postmaster, press, privacy, reception, recruiting, sales, security, service, support, team,
 * webmaster.
 */
bool email_is_role_local(const char *local, size_t len);

/*
 * True when `domain` (lower-case ASCII) is a personal mailbox provider, webmail or consumer
 * ISP, so the address says nothing about an employer. Exact names: 126.com, 163.com, aim.com,
 * aol.com, att.net, bellsouth.net, bigpond.com, bk.ru, btinternet.com, charter.net, comcast.net,
 * cox.net, daum.net, earthlink.net, email.com, fastmail.com, fastmail.fm, free.fr,
 * freenet.de, gmail.com, googlemail.com, hanmail.net, hushmail.com, icloud.com, inbox.ru,
 * interia.pl, juno.com, laposte.net, libero.it, list.ru, mac.com, mail.com, mail.ru, me.com,
 * msn.com, naver.com, o2.pl, onet.pl, optusnet.com.au, orange.fr, pm.me, proton.me,
 * protonmail.ch, protonmail.com, qq.com, rambler.ru, rediffmail.com, rocketmail.com,
 * rogers.com, sbcglobal.net, seznam.cz, shaw.ca, sina.com, sky.com, sohu.com, t-online.de,
 * tuta.io, tutanota.com, ukr.net, verizon.net, virginmedia.com, wanadoo.fr, web.de, wp.pl,
 * xtra.co.nz, ya.ru, yeah.net, ymail.com, zoho.com, zohomail.com.
 * Families, under any country ending ("com", "net", "org", a two-letter country code, or
 * "co."/"com."/"ne." + a country code): aol, gmx, hotmail, live, outlook, yahoo, yandex.
 */
bool email_is_free_mail_domain(const char *domain, size_t len);

#endif
