/* Person names: split, case, join. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/person.h"

#include <string.h>

static void test_split_table(void **state)
{
    static const struct {
        const char *in;
        const char *title, *first, *middle, *last, *suffix;
    } cases[] = {
        {"John Smith", "", "John", "", "Smith", ""},
        {"  John   Smith  ", "", "John", "", "Smith", ""},
        {"Smith, John", "", "John", "", "Smith", ""},
        {"Smith,John", "", "John", "", "Smith", ""},
        {"Smith, John Q.", "", "John", "Q.", "Smith", ""},
        {"John Q. Smith", "", "John", "Q.", "Smith", ""},
        {"Dr. John Smith Jr.", "Dr.", "John", "", "Smith", "Jr."},
        {"Dr John Smith Jr", "Dr", "John", "", "Smith", "Jr"},
        {"Prof. Dr. Hans Müller", "Prof. Dr.", "Hans", "", "Müller", ""},
        {"Mary Ann van der Berg", "", "Mary", "Ann", "van der Berg", ""},
        {"van der Berg, Mary Ann", "", "Mary", "Ann", "van der Berg", ""},
        {"Ludwig van Beethoven", "", "Ludwig", "", "van Beethoven", ""},
        {"Van Morrison", "", "Van", "", "Morrison", ""},
        {"Leonardo da Vinci", "", "Leonardo", "", "da Vinci", ""},
        {"Ana De La Cruz", "", "Ana", "", "De La Cruz", ""},
        {"John Le", "", "John", "", "Le", ""},
        {"John Smith, Jr.", "", "John", "", "Smith", "Jr."},
        {"John Smith Jr., PhD", "", "John", "", "Smith", "Jr., PhD"},
        {"Jane Roe, PhD, MD", "", "Jane", "", "Roe", "PhD, MD"},
        {"Jane Roe M.D.", "", "Jane", "", "Roe", "M.D."},
        {"Smith Jr., John", "", "John", "", "Smith", "Jr."},
        {"Smith, John, Jr.", "", "John", "", "Smith", "Jr."},
        {"Smith, Dr. John", "Dr.", "John", "", "Smith", ""},
        {"John Smith III", "", "John", "", "Smith", "III"},
        {"J. R. R. Tolkien", "", "J.", "R. R.", "Tolkien", ""},
        {"Madonna", "", "Madonna", "", "", ""},
        {"Mr. Smith", "Mr.", "", "", "Smith", ""},
        {"Ms Jones", "Ms", "", "", "Jones", ""},
        {"Smith,", "", "", "", "Smith", ""},
        {", John", "", "John", "", "", ""},
        {"Jean-Luc Picard", "", "Jean-Luc", "", "Picard", ""},
        {"Catherine Zeta-Jones", "", "Catherine", "", "Zeta-Jones", ""},
        {"Shaquille O'Neal", "", "Shaquille", "", "O'Neal", ""},
        {"José María García López", "", "José", "María García", "López", ""},
        {"Sir Elton John", "Sir", "Elton", "", "John", ""},
        {"JOHN SMITH", "", "JOHN", "", "SMITH", ""},
        {"Mary St. John", "", "Mary", "", "St. John", ""},
        {"Abdullah bin Abdulaziz", "", "Abdullah", "", "bin Abdulaziz", ""},
        {"张伟", "", "张伟", "", "", ""},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct person_name name;
        struct pr_error err;

        if (person_name_split(cases[i].in, strlen(cases[i].in), &name, &err) != PR_OK)
            fail_msg("case %zu \"%s\": %s", i, cases[i].in, err.message);
        if (strcmp(name.title, cases[i].title) != 0 || strcmp(name.first, cases[i].first) != 0 ||
            strcmp(name.middle, cases[i].middle) != 0 || strcmp(name.last, cases[i].last) != 0 ||
            strcmp(name.suffix, cases[i].suffix) != 0)
            fail_msg("case %zu \"%s\": got [%s|%s|%s|%s|%s]", i, cases[i].in, name.title,
                     name.first, name.middle, name.last, name.suffix);
    }
}

static void test_split_rejected(void **state)
{
    static const struct {
        const char *in;
        const char *message_part;
    } cases[] = {
        {"", "empty"},
        {"   ", "empty"},
        {",", "empty"},
        {"Dr.", "only titles"},
        {"Mr. Jr.", "only titles"},
        {"John\nSmith", "control"},
        {"John\x7FSmith", "control"},
        {"Smith, John, Paul", "too many commas"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct person_name name;
        struct pr_error err;

        if (person_name_split(cases[i].in, strlen(cases[i].in), &name, &err) != PR_INVALID)
            fail_msg("case %zu \"%s\" was accepted", i, cases[i].in);
        if (strstr(err.message, cases[i].message_part) == NULL)
            fail_msg("case %zu \"%s\": message \"%s\" lacks \"%s\"", i, cases[i].in, err.message,
                     cases[i].message_part);
    }
}

static void test_split_lengths(void **state)
{
    char text[PERSON_NAME_MAX_LEN + 2];
    struct person_name name;
    struct pr_error err;

    (void)state;
    memset(text, 'a', sizeof text);
    text[100] = ' ';
    assert_int_equal(person_name_split(text, PERSON_NAME_MAX_LEN, &name, &err), PR_OK);
    assert_int_equal(strlen(name.first), 100);
    assert_int_equal(strlen(name.last), PERSON_NAME_MAX_LEN - 101);
    assert_int_equal(person_name_split(text, PERSON_NAME_MAX_LEN + 1, &name, &err), PR_INVALID);
    /* Suffixes separated by bare commas grow by a space each: still bounded. */
    {
        char many[PERSON_NAME_MAX_LEN + 1];
        size_t n = 0;

        memcpy(many, "Jo Roe", 6);
        n = 6;
        while (n + 3 <= PERSON_NAME_MAX_LEN) {
            memcpy(many + n, ",Jr", 3);
            n += 3;
        }
        (void)person_name_split(many, n, &name, &err);
        assert_true(strlen(name.suffix) < PERSON_PART_BUF_SIZE);
    }
}

static void test_case_table(void **state)
{
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        {"JOHN SMITH", "John Smith"},
        {"john smith", "John Smith"},
        {"John Smith", "John Smith"},
        {"DeShawn McKenzie", "DeShawn McKenzie"},
        {"MacKenzie", "MacKenzie"},
        {"mcdonald", "McDonald"},
        {"RONALD MCDONALD", "Ronald McDonald"},
        {"MACK", "Mack"},
        {"o'neil", "O'Neil"},
        {"SHAQUILLE O'NEAL", "Shaquille O'Neal"},
        {"d’angelo", "D’Angelo"},
        {"JOHN'S", "John's"},
        {"MARY ANN VAN DER BERG", "Mary Ann van der Berg"},
        {"VAN DER BERG", "Van der Berg"},
        {"van morrison", "Van Morrison"},
        {"LEONARDO DA VINCI", "Leonardo da Vinci"},
        {"JOHN LE", "John Le"},
        {"jean-luc picard", "Jean-Luc Picard"},
        {"CATHERINE ZETA-JONES", "Catherine Zeta-Jones"},
        {"JOHN SMITH III", "John Smith III"},
        {"john smith jr.", "John Smith Jr."},
        {"JANE ROE, PHD", "Jane Roe, PhD"},
        {"JANE ROE MD", "Jane Roe MD"},
        {"JOSÉ GARCÍA", "José García"},
        {"élodie durand", "Élodie Durand"},
        {"ÆLFRED", "Ælfred"},
        {"  JOHN  ", "  John  "},
        {"J. R. SMITH", "J. R. Smith"},
        {"3RD STREET", "3rd Street"},
        {"张伟", "张伟"},
        {"1234", "1234"},
        {"", ""},
        {"DR. JOHN SMITH", "Dr. John Smith"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[PERSON_PART_BUF_SIZE * 2], again[PERSON_PART_BUF_SIZE * 2];
        struct pr_error err;

        if (person_name_case(cases[i].in, strlen(cases[i].in), out, sizeof out, &err) != PR_OK)
            fail_msg("case %zu \"%s\": %s", i, cases[i].in, err.message);
        if (strcmp(out, cases[i].out) != 0)
            fail_msg("case %zu \"%s\": got \"%s\", want \"%s\"", i, cases[i].in, out, cases[i].out);
        /* Casing a cased name changes nothing. */
        assert_int_equal(person_name_case(out, strlen(out), again, sizeof again, &err), PR_OK);
        assert_string_equal(again, out);
    }
}

static void test_case_rejected(void **state)
{
    char out[16], text[PERSON_NAME_MAX_LEN + 2];
    struct pr_error err;

    (void)state;
    assert_int_equal(person_name_case("JO\xFFHN", 5, out, sizeof out, &err), PR_INVALID);
    assert_non_null(strstr(err.message, "UTF-8"));
    assert_int_equal(person_name_case("z\0\0\0,A", 6, out, sizeof out, &err), PR_INVALID);
    assert_non_null(strstr(err.message, "control"));
    assert_int_equal(person_name_case("JOHN\nSMITH", 10, out, sizeof out, &err), PR_INVALID);
    assert_int_equal(person_name_case("JOHN SMITH-JONES", 16, out, sizeof out, &err), PR_INVALID);
    assert_int_equal(person_name_case("John Smith-Jones", 16, out, sizeof out, &err), PR_INVALID);
    assert_int_equal(person_name_case("JOHN SMITH", 10, out, 11, &err), PR_OK);
    memset(text, 'A', sizeof text);
    assert_int_equal(person_name_case(text, PERSON_NAME_MAX_LEN + 1, out, sizeof out, &err),
                     PR_INVALID);
}

static void test_join(void **state)
{
    static const struct {
        const char *first, *last;
        const char *out; /* NULL: invalid */
    } cases[] = {
        {"John", "Smith", "John Smith"},
        {" John ", "\tSmith ", "John Smith"},
        {"John", "", "John"},
        {"", "Smith", "Smith"},
        {NULL, "Smith", "Smith"},
        {"Mary Ann", "van der Berg", "Mary Ann van der Berg"},
        {"", "", NULL},
        {NULL, NULL, NULL},
        {"  ", " ", NULL},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        struct pr_error err;
        enum pr_code rc = person_name_join(cases[i].first, cases[i].last, out, sizeof out, &err);

        if (cases[i].out == NULL) {
            assert_int_equal(rc, PR_INVALID);
        } else {
            assert_int_equal(rc, PR_OK);
            assert_string_equal(out, cases[i].out);
        }
    }
    {
        char small[10];
        struct pr_error err;

        assert_int_equal(person_name_join("John", "Smith", small, sizeof small, &err), PR_INVALID);
        assert_int_equal(person_name_join("John", "Smit", small, sizeof small, &err), PR_OK);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_table),   cmocka_unit_test(test_split_rejected),
        cmocka_unit_test(test_split_lengths), cmocka_unit_test(test_case_table),
        cmocka_unit_test(test_case_rejected), cmocka_unit_test(test_join),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
