/* Test prefix only, never shipped (loaded with WINEDLLOVERRIDES=mscms=n): Wine 8.0's
 * mscms!WcsCreateIccProfile is a stub that aborts the process, and Qt's windows platform
 * plugin calls it for every screen.  Here every colour-profile call fails cleanly, as on
 * a Windows without a colour profile; Qt then assumes sRGB. */
#include <windows.h>
__declspec(dllexport) HANDLE WINAPI OpenColorProfileW(void *profile, DWORD access, DWORD share,
                                                      DWORD creation) {
    (void)profile; (void)access; (void)share; (void)creation;
    SetLastError(ERROR_NOT_SUPPORTED);
    return NULL;
}
__declspec(dllexport) BOOL WINAPI CloseColorProfile(HANDLE profile) {
    (void)profile;
    return TRUE;
}
__declspec(dllexport) BOOL WINAPI GetColorProfileFromHandle(HANDLE profile, BYTE *buffer,
                                                            DWORD *size) {
    (void)profile; (void)buffer; (void)size;
    SetLastError(ERROR_NOT_SUPPORTED);
    return FALSE;
}
__declspec(dllexport) HANDLE WINAPI WcsCreateIccProfile(HANDLE profile, DWORD options) {
    (void)profile; (void)options;
    SetLastError(ERROR_NOT_SUPPORTED);
    return NULL;
}
