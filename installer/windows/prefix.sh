#!/usr/bin/env bash
# The Wine prefix: a 64-bit Windows 10 with the test-only stand-ins of lib.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ ! -f "$WINEPREFIX/system.reg" ]; then
  mkdir -p "$WINEPREFIX"
  wineboot -i >/dev/null 2>&1
  wineserver -w
fi
wrun reg add 'HKCU\Software\Wine' /v Version /d win10 /f >/dev/null   # Wine says Windows 7

system32="$WINEPREFIX/drive_c/windows/system32"
for stub in icuuc bcryptprimitives mscms; do
  x86_64-w64-mingw32-gcc -O2 -shared -o "$WORK/$stub.dll" "$WIN_HERE/wine-stubs/$stub.c"
  cp "$WORK/$stub.dll" "$system32/$stub.dll"
done
# The PDF tests name Debian's font files by their Linux paths; from drive C: those
# read as C:\usr\...: let that folder be the real one.
[ -e "$WINEPREFIX/drive_c/usr" ] || ln -s /usr "$WINEPREFIX/drive_c/usr"
# Chinese in native Windows dialogs (the installer's wizard), which otherwise shows as
# boxes: Wine 8.0 has none of Windows' Chinese fonts, and Debian's Wine none of its Latin
# ones either (Tahoma, Segoe UI, MS Shell Dlg all fall back to DejaVu Sans).
# - "Microsoft YaHei UI" (DialogFontName of installer/ChineseSimplified.isl) and Windows'
#   other Chinese UI faces stand in as Debian's WenQuanYi Micro Hei (fonts-wqy-microhei);
# - FontLink\SystemLink puts it behind DejaVu Sans, as Windows links its Latin UI fonts to
#   its Chinese ones: the language dialog, drawn before a language is chosen, says 简体中文.
for face in "Microsoft YaHei UI" "Microsoft YaHei" "SimSun"; do
  wrun reg add 'HKCU\Software\Wine\Fonts\Replacements' /v "$face" /d "WenQuanYi Micro Hei" /f >/dev/null
done
wrun reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\FontLink\SystemLink' \
  /v "DejaVu Sans" /t REG_MULTI_SZ /d "wqy-microhei.ttc,WenQuanYi Micro Hei" /f >/dev/null
