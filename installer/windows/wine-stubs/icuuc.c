/* Test prefix only, never shipped: Wine 8.0 has no icuuc.dll, which Windows 10 (1703+)
 * ships and Qt 6.10+ imports for QStringConverter's non-built-in codecs.  Every
 * converter "cannot be opened"; Qt then uses its own UTF-8/UTF-16/Latin-1 codecs, which
 * are all fpdesk uses.  The other functions are never reached without a converter. */
#include <stddef.h>
#define U_MISSING_RESOURCE_ERROR 2
__declspec(dllexport) void *ucnv_open(const char *name, int *err) {
    (void)name;
    if (err) *err = U_MISSING_RESOURCE_ERROR;
    return NULL;
}
#define NOTHING(fn) __declspec(dllexport) long long fn(void) { return 0; }
NOTHING(ucnv_close)
NOTHING(UCNV_FROM_U_CALLBACK_SUBSTITUTE)
NOTHING(UCNV_TO_U_CALLBACK_SUBSTITUTE)
NOTHING(ucnv_reset)
NOTHING(ucnv_getMaxCharSize)
NOTHING(ucnv_getName)
NOTHING(ucnv_getToUCallBack)
NOTHING(ucnv_getFromUCallBack)
NOTHING(ucnv_setToUCallBack)
NOTHING(ucnv_setFromUCallBack)
NOTHING(ucnv_cbToUWriteUChars)
NOTHING(ucnv_toUnicode)
NOTHING(ucnv_cbFromUWriteUChars)
NOTHING(ucnv_toUCountPending)
NOTHING(ucnv_fromUCountPending)
NOTHING(ucnv_getStandardName)
NOTHING(ucnv_getAvailableName)
NOTHING(ucnv_countAvailable)
NOTHING(ucnv_fromUnicode)
