#!/usr/bin/env bash
# Install the setup.exe of setup.sh silently for the current user, run the installed
# app's smoke test (the command line, then the window with the real `windows` platform
# plugin under Xvfb, unlocked by typing as an officer would, a screenshot kept),
# install again over it (an upgrade), uninstall, and check that the user's registers,
# keys and backups are still in the data folder.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

setup="$(ls "$WORK"/setup/fpdesk-*-setup.exe)"
# Wine's session from the test runs was started without a display, and its desktop
# would serve Setup's windows there ("Error reading FPreparingMemo"): end it first.
wineserver -k 2>/dev/null || true
wineserver -w 2>/dev/null || true

# A free display chosen by Xvfb itself (-displayfd): a number left locked by an earlier
# run cannot get in the way.
rm -f "$WORK/display"
Xvfb -displayfd 3 -screen 0 1366x768x24 -nolisten tcp 3>"$WORK/display" >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; wineserver -k 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do [ -s "$WORK/display" ] && break; sleep 0.2; done
[ -s "$WORK/display" ] || { echo "Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$(tr -d '[:space:]' <"$WORK/display")"

local_appdata="$(winepath -u "$(wrun cmd /c echo %LOCALAPPDATA% | tr -d '\r')")"
program="$local_appdata/Programs/fpdesk"
data="$local_appdata/fpdesk"
cli="$program/fpdesk-cli.exe"
register="$data/smoke.fpdesk"
keyed="$data/keyed.fpdesk"
passphrase="smoke-test-2026"
export FPDESK_PASSPHRASE="$passphrase"

install() {
  # Setup builds its (hidden) wizard even when very silent, so it needs a display.
  rm -f "$WORK/setup.log"
  wrun "$setup" /VERYSILENT /CURRENTUSER /SUPPRESSMSGBOXES /NORESTART \
    "/LOG=$(winepath -w "$WORK/setup.log")"
  [ -x "$cli" ] || { echo "no $cli after installing" >&2; exit 1; }
}

smoke_cli() {
  wrun "$cli" --version
  mkdir -p "$data"
  if [ ! -f "$register" ]; then
    wrun "$cli" demo --db "$(winepath -w "$register")" --persons 300 --seed 7 >/dev/null
  fi
  wrun "$cli" check --db "$(winepath -w "$register")" >/dev/null
  # A register with accounts: its keyring (NAME.fpdesk.keys) must outlive an uninstall.
  if [ ! -f "$keyed.keys" ]; then
    wrun "$cli" demo --db "$(winepath -w "$keyed")" --persons 100 --seed 3 >/dev/null
    FPDESK_NEW_PASSPHRASE="admin-pass-2026" wrun "$cli" users add \
      --db "$(winepath -w "$keyed")" --name admin --role administrator >/dev/null
  fi
  [ -f "$keyed.keys" ] || { echo "users add made no keyring beside $keyed" >&2; exit 1; }
  QT_QPA_PLATFORM=windows wrun "$cli" selftest --db "$(winepath -w "$register")" --json \
    | tee "$WORK/selftest.json" | tail -3
  grep -q '"problems": \[\]' "$WORK/selftest.json" || { echo "selftest found problems" >&2; exit 1; }
}

window_id() {  # fpdesk's visible window (Wine names a window's class after its program)
  xdotool search --onlyvisible --class "fpdesk.exe" 2>/dev/null | head -1 || true
}

wait_for_window() {
  local id=""
  for _ in $(seq 1 60); do
    id="$(window_id)"
    [ -n "$id" ] && { echo "$id"; return 0; }
    sleep 1
  done
  return 1
}

smoke_window() {
  # The window as an officer meets it: the unlock dialog, the passphrase typed, Enter,
  # the main window (a window other than the unlock dialog); the day's backup made once
  # the day's check has passed; Ctrl+Q quits it (an exit backup only when something was
  # changed since today's backup, so none here).
  # Under Xvfb there is no window manager: windows are focused, not activated, and
  # Alt+F4 would reach nobody.
  unset FPDESK_PASSPHRASE
  (wrun "$program/fpdesk.exe" gui --db "$(winepath -w "$register")" >"$WORK/gui.log") &
  local app=$! unlock main=""
  unlock="$(wait_for_window)" || { echo "the unlock window did not appear" >&2; exit 1; }
  sleep 2
  xdotool windowfocus --sync "$unlock"
  xdotool type --delay 50 "$passphrase"
  xdotool key Return
  for _ in $(seq 1 60); do
    main="$(xdotool search --onlyvisible --class "fpdesk.exe" 2>/dev/null | grep -vx "$unlock" | head -1 || true)"
    [ -n "$main" ] && ! xdotool getwindowname "$unlock" >/dev/null 2>&1 && break
    sleep 1
  done
  [ -n "$main" ] || { import -window root "$WORK/no-main-window.png"; echo "the main window did not open" >&2; exit 1; }
  sleep 5
  import -window root "$WORK/installed-app.png"
  # A click in the window (its empty detail pane) gives it the keyboard, as it would an
  # officer; then the Quit shortcut.
  eval "$(xdotool getwindowgeometry --shell "$main")"   # WIDTH, HEIGHT: it may open where
  xdotool mousemove --window "$main" --sync $((WIDTH - 150)) $((HEIGHT / 2)) click 1  # last left
  sleep 1
  xdotool key ctrl+q
  for _ in $(seq 1 60); do kill -0 "$app" 2>/dev/null || break; sleep 1; done
  ! kill -0 "$app" 2>/dev/null || { import -window root "$WORK/not-closed.png"; echo "the window did not close on Ctrl+Q" >&2; exit 1; }
  export FPDESK_PASSPHRASE="$passphrase"
  ls "$data"/smoke.fpdesk.backups/*-daily* >/dev/null 2>&1 \
    || { echo "the window made no daily backup" >&2; ls -R "$data" >&2; exit 1; }
}

install
smoke_cli
smoke_window
install   # again, over itself: an upgrade in place
wrun "$cli" --version
wrun "$program/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
sleep 3
[ ! -e "$program/fpdesk-cli.exe" ] || { echo "uninstall left $program/fpdesk-cli.exe" >&2; exit 1; }
for kept in "$register" "$data/smoke.fpdesk.backups" "$keyed" "$keyed.keys"; do
  [ -e "$kept" ] || { echo "uninstalling removed $kept" >&2; exit 1; }
done
echo "installed, smoke-tested, upgraded and uninstalled; the data folder kept: $(ls "$data" | tr '\n' ' ')"
