/*
 * Replays a fuzz target's corpus without libFuzzer: runs LLVMFuzzerTestOneInput on every file
 * of the directory given as argv[1] and prints TAP, one line per file. Under ASan/UBSan a
 * crash or a sanitizer report fails the test.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned char *read_all(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t len = 0, cap = 0, n;

    if (f == NULL)
        return NULL;
    do {
        if (cap - len < 4096) {
            cap = cap ? cap * 2 : 8192;
            data = xrealloc(data, cap);
        }
        n = fread(data + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    fclose(f);
    *len_out = len;
    return data;
}

int main(int argc, char **argv)
{
    DIR *dir;
    struct dirent *entry;
    char **names = NULL;
    size_t n_names = 0, i;
    int failed = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 64;
    }
    dir = opendir(argv[1]);
    if (dir == NULL) {
        printf("1..1\nnot ok 1 - cannot open corpus %s\n", argv[1]);
        return 1;
    }
    for (;;) {
        entry = readdir(dir);
        if (entry == NULL)
            break;
        if (entry->d_name[0] == '.')
            continue;
        names = xrealloc(names, (n_names + 1) * sizeof *names);
        names[n_names++] = xstrdup(entry->d_name);
    }
    closedir(dir);
    qsort(names, n_names, sizeof *names, compare_names);
    printf("1..%zu\n", n_names);
    for (i = 0; i < n_names; i++) {
        char path[4096];
        size_t len = 0;
        unsigned char *data;
        int written = snprintf(path, sizeof path, "%s/%s", argv[1], names[i]);

        if (written < 0 || (size_t)written >= sizeof path) {
            printf("not ok %zu - path too long\n", i + 1);
            failed = 1;
            continue;
        }
        data = read_all(path, &len);
        if (data == NULL) {
            printf("not ok %zu - cannot read %s\n", i + 1, names[i]);
            failed = 1;
            continue;
        }
        LLVMFuzzerTestOneInput(data, len);
        printf("ok %zu - %s\n", i + 1, names[i]);
        fflush(stdout);
        xfree(data);
        xfree(names[i]);
    }
    xfree(names);
    return failed;
}
