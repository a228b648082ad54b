/*
 * libxml.h - libxml2, loaded when a JUnit report is first read back
 * (conform diff, conform merge) instead of linked into conform.
 *
 * Why: libxml2 brings ICU and libstdc++ with it, and linking them cost
 * every conform process about 2.6 MiB of RSS at start (relocations and
 * the pages they touch), most of what a run used above the libcurl floor
 * (docs/PERFORMANCE.md). Only the two commands that read XML pay it now.
 *
 * Include this after <libxml/...> headers, in the file that calls libxml2:
 * the macros below make its xmlFoo(...) calls go through the table. Call
 * cf_libxml_load before the first of them.
 */
#ifndef CONFORM_LIBXML_H
#define CONFORM_LIBXML_H

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "base/error.h"

/* The functions conform calls, with libxml2's own prototypes. */
#define CF_LIBXML_FUNCTIONS(X)                                                                     \
    X(xmlAddChild)                                                                                 \
    X(xmlAddPrevSibling)                                                                           \
    X(xmlCopyError)                                                                                \
    X(xmlCopyNode)                                                                                 \
    X(xmlCtxtGetLastError)                                                                         \
    X(xmlCtxtReadMemory)                                                                           \
    X(xmlDocCopyNode)                                                                              \
    X(xmlDocDumpFormatMemoryEnc)                                                                   \
    X(xmlDocGetRootElement)                                                                        \
    X(xmlDocSetRootElement)                                                                        \
    X(xmlFreeDoc)                                                                                  \
    X(xmlFreeParserCtxt)                                                                           \
    X(xmlGetLineNo)                                                                                \
    X(xmlGetProp)                                                                                  \
    X(xmlNewChild)                                                                                 \
    X(xmlNewDoc)                                                                                   \
    X(xmlNewNode)                                                                                  \
    X(xmlNewParserCtxt)                                                                            \
    X(xmlNewProp)                                                                                  \
    X(xmlNodeGetContent)                                                                           \
    X(xmlResetError)                                                                               \
    X(xmlSetProp)                                                                                  \
    X(xmlSetStructuredErrorFunc)

#define CF_LIBXML_FIELD(name) __typeof__(&name) name;
typedef struct cf_libxml {
    CF_LIBXML_FUNCTIONS(CF_LIBXML_FIELD)
    xmlFreeFunc *xmlFree; /* a variable of libxml2's, not a function */
} cf_libxml;
#undef CF_LIBXML_FIELD

extern cf_libxml cf_xml;

/* Loads libxml2 (once; later calls return at once). -1 with a located
 * error (file: path) when it cannot be loaded. Not thread-safe. */
int cf_libxml_load(const char *path, cf_error **err);

#ifndef CF_LIBXML_IMPL
#define xmlAddChild cf_xml.xmlAddChild
#define xmlAddPrevSibling cf_xml.xmlAddPrevSibling
#define xmlCopyError cf_xml.xmlCopyError
#define xmlCopyNode cf_xml.xmlCopyNode
#define xmlCtxtGetLastError cf_xml.xmlCtxtGetLastError
#define xmlCtxtReadMemory cf_xml.xmlCtxtReadMemory
#define xmlDocCopyNode cf_xml.xmlDocCopyNode
#define xmlDocDumpFormatMemoryEnc cf_xml.xmlDocDumpFormatMemoryEnc
#define xmlDocGetRootElement cf_xml.xmlDocGetRootElement
#define xmlDocSetRootElement cf_xml.xmlDocSetRootElement
#define xmlFreeDoc cf_xml.xmlFreeDoc
#define xmlFreeParserCtxt cf_xml.xmlFreeParserCtxt
#define xmlGetLineNo cf_xml.xmlGetLineNo
#define xmlGetProp cf_xml.xmlGetProp
#define xmlNewChild cf_xml.xmlNewChild
#define xmlNewDoc cf_xml.xmlNewDoc
#define xmlNewNode cf_xml.xmlNewNode
#define xmlNewParserCtxt cf_xml.xmlNewParserCtxt
#define xmlNewProp cf_xml.xmlNewProp
#define xmlNodeGetContent cf_xml.xmlNodeGetContent
#define xmlResetError cf_xml.xmlResetError
#define xmlSetProp cf_xml.xmlSetProp
#define xmlSetStructuredErrorFunc cf_xml.xmlSetStructuredErrorFunc
#undef xmlFree
#define xmlFree (*cf_xml.xmlFree)
#endif

#endif
