/*
 * libxml.c - loads libxml2 on first use (contract in libxml.h).
 */
#define CF_LIBXML_IMPL
#include "report/libxml.h"

#include <dlfcn.h>

cf_libxml cf_xml;

/* Debian's libxml2 (package libxml2, a dependency of the conform package). */
#define LIBXML_SONAME "libxml2.so.2"

int cf_libxml_load(const char *path, cf_error **err)
{
    static void *lib;
    if (lib)
        return 0;
    void *h = dlopen(LIBXML_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return cf_error_set(err, path, 0, 0, "install Debian's libxml2 (apt-get install libxml2)",
                            "cannot load %s to read JUnit XML: %s", LIBXML_SONAME, dlerror());
    const char *missing = NULL;
    /* dlsym's void * stored into the function pointer's bytes: POSIX makes
     * the two interchangeable; ISO C has no conversion between them. */
#define CF_LIBXML_SYM(name)                                                                        \
    if (!(*(void **)&cf_xml.name = dlsym(h, #name)) && !missing)                                   \
        missing = #name;
    CF_LIBXML_FUNCTIONS(CF_LIBXML_SYM)
#undef CF_LIBXML_SYM
    if (!(cf_xml.xmlFree = dlsym(h, "xmlFree")) && !missing)
        missing = "xmlFree";
    if (missing) {
        dlclose(h);
        return cf_error_set(err, path, 0, 0, "install Debian's libxml2 (apt-get install libxml2)",
                            "%s has no %s", LIBXML_SONAME, missing);
    }
    lib = h;
    return 0;
}
