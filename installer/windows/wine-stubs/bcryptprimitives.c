/* Test prefix only, never shipped: Wine 8.0's bcryptprimitives.dll lacks ProcessPrng,
 * which Windows 10 has and Rust's standard library (1.78+, so pyrage and cryptography)
 * imports for random bytes.  Forward it to RtlGenRandom (advapi32!SystemFunction036). */
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
    while (size > 0) {
        ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
