/*
 * Negative control for the map check of scripts/cross-build.sh: an image that does link malloc, free,
 * printf, sscanf and abort. The check must find every one of them here, or it proves nothing elsewhere.
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    int value = 0;
    char *p = malloc(16);
    if (p == NULL)
        abort();
    if (sscanf("42", "%d", &value) != 1)
        abort();
    printf("%d\n", value);
    free(p);
    return value;
}
