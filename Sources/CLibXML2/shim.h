#ifndef SALDO_CLIBXML2_SHIM_H
#define SALDO_CLIBXML2_SHIM_H
// Foundation on Linux ships its own ICU headers; libxml2's ICU-enabled build clashes with
// them ("not present in definition of 'enum UErrorCode'"). Saldo does not need libxml2's
// ICU support, so switch it off before any other libxml2 header is seen.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlIO.h>
#endif
