"""The window on a district hub (`fpdesk gui --hub [URL]`): read-only.

The register's dashboard (gui.dashboard) over the hub's indicator source, the
townships' status board (what `fpdesk hub status` shows) and File ▸ Export of the
hub's workbooks (what `fpdesk hub report` writes).  Nothing here edits: there are no
household or person menus, and the staff's PostgreSQL roles may only read anyway.

The window never imports the hub (tests/test_boundaries.py): the command line hands it
`opening(password) -> session`, which logs in to the hub (fpdesk.hub.session.HubSession).
A failure is one of the hub's plain messages; the window asks for a password when the
server wants one (`password_needed` on the error), and offers to try again otherwise.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import current_language
from fpdesk.core.periods import Period
from fpdesk.gui import app as gui_app
from fpdesk.gui import crash
from fpdesk.gui.dashboard import Dashboard, Readings
from fpdesk.gui.icons import icon
from fpdesk.gui.models import Column, RowsModel
from fpdesk.gui.settings import Settings

log = logging.getLogger("fpdesk.gui.hub")
# The engine's levels a login may choose for the table's rows.
DISTRICT_LEVELS = ("county", "township", "village")
TOWNSHIP_LEVELS = ("township", "village")
KINDS = ("annual", "assessment")  # the workbooks `fpdesk hub report` writes


class Login(Protocol):
    user: str
    kind: str  # owner | district | township | reader
    township: str | None
    township_name: str | None


class Session(Protocol):
    """What the window uses of fpdesk.hub.session.HubSession."""

    where: str
    embedded: bool
    login: Login

    def close(self) -> None: ...
    def status(self, today: dt.date) -> Any: ...
    def area(self) -> tuple[str, str]: ...
    def source(self) -> Any: ...
    def write_workbook(self, period: Period, kind: str, out: str) -> str: ...


Opening = Callable[[str | None], Session]


def _text(exc: FpdeskError) -> str:
    return exc.text.get(current_language())


# ---------------------------------------------------------------- the status board


class TownshipBoard(RowsModel):
    """The townships as `fpdesk hub status` lists them (hub.status.TownshipRow); a late
    report or missing changes in red."""

    def columns(self) -> list[Column]:
        states = {
            "requested": self.tr("requested"),
            "enrolled": self.tr("enrolled"),
            "revoked": self.tr("revoked"),
        }
        reports = {
            "reported": self.tr("reported"),
            "due": self.tr("not due yet"),
            "late": self.tr("LATE"),
            "no_device": self.tr("not enrolled"),
        }
        outcomes = {
            "accepted": self.tr("imported"),
            "duplicate": self.tr("imported before"),
            "gap": self.tr("gap"),
            "fork": self.tr("fork"),
            "refused": self.tr("refused"),
        }
        return [
            Column(self.tr("Code"), lambda r: r.code),
            Column(self.tr("Township"), lambda r: r.name),
            Column(self.tr("State"), lambda r: states.get(r.state, r.state)),
            Column(self.tr("This month"), lambda r: reports.get(r.report, r.report)),
            Column(self.tr("Last file"), lambda r: r.last_file),
            Column(self.tr("Outcome"), lambda r: outcomes.get(r.last_outcome, r.last_outcome)),
            Column(self.tr("When"), lambda r: (r.last_seen_at or "")[:16].replace("T", " ")),
            Column(
                self.tr("Missing changes"), lambda r: f"{r.hole[0]}–{r.hole[1]}" if r.hole else ""
            ),
        ]

    def row_id(self, row: Any) -> str | None:
        return str(row.code)

    def foreground(self, row: Any) -> QColor | None:
        return QColor("#c62828") if row.report == "late" or row.hole else None


# ---------------------------------------------------------------- the window


class HubWindow(QMainWindow):
    """The dashboard and the townships' board of one hub, read-only."""

    def __init__(
        self, session: Session, clock: Clock | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock or SystemClock()
        self.setWindowIcon(icon("app"))
        self.resize(1280, 720)
        self.setWindowTitle(self.title())
        self.dashboard: Dashboard | None = None
        self.tabs = QTabWidget()
        self.banner = QLabel()
        self.banner.setObjectName("scope")
        self.banner.setWordWrap(True)
        self._build_dashboard()
        self._build_board()
        center = QWidget()
        layout = QVBoxLayout(center)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(center)
        self._build_menus()
        # Who is logged in, where, always in sight (the title bar may be hidden).
        self.who = QLabel(self.windowTitle())
        self.statusBar().addPermanentWidget(self.who)
        self.refresh_board()

    # -- who and where ------------------------------------------------------------------

    def title(self) -> str:
        login = self.session.login
        if login.kind == "owner":
            who = self.tr("the hub's owner (%1)").replace("%1", login.user)
        elif login.kind == "district":
            who = self.tr("district staff %1").replace("%1", login.user)
        elif login.kind == "township":
            who = (
                self.tr("staff of township %1 (%2)")
                .replace("%1", login.township_name or login.township or "")
                .replace("%2", login.user)
            )
        else:
            who = login.user
        where = self.tr("this computer's hub") if self.session.embedded else self.session.where
        return (
            self.tr("fpdesk · district hub %1 · %2 · read-only")
            .replace("%1", where)
            .replace("%2", who)
        )

    # -- the parts ----------------------------------------------------------------------

    def _build_dashboard(self) -> None:
        login = self.session.login
        try:
            code, name = self.session.area()
        except FpdeskError as exc:  # a hub with no township's records yet
            empty = QLabel(_text(exc))
            empty.setObjectName("empty")
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.tabs.addTab(empty, icon("statistics"), self.tr("Indicators"))
            self.banner.setText(_text(exc))
            return
        township = login.kind == "township"
        session = self.session

        def opener() -> Any:
            return session.source()

        def write(period: Period, kind: str, out: str) -> str:
            return session.write_workbook(period, kind, out)

        readings = Readings(
            None,
            lambda: (code, name),
            opener,
            levels=TOWNSHIP_LEVELS if township else DISTRICT_LEVELS,
            kinds=KINDS,
            write_workbook=write,
        )
        self.dashboard = Dashboard(readings, clock=self.clock)
        self.dashboard.setObjectName("dashboard")
        scrolled = QScrollArea()
        scrolled.setWidgetResizable(True)
        scrolled.setFrameShape(QScrollArea.Shape.NoFrame)
        scrolled.setWidget(self.dashboard)
        self.tabs.addTab(scrolled, icon("statistics"), self.tr("Indicators"))
        if township:
            # Row-level security shows this login its township's records only: its
            # numbers are the township's, never the district's.
            self.banner.setText(
                self.tr(
                    "Township %1 only: this login sees the records of its own township, so "
                    "every number here is the township's, not the district's."
                ).replace("%1", name)
            )
        else:
            self.banner.setText(self.tr("Counting: %1 (all its townships)").replace("%1", name))

    def _build_board(self) -> None:
        self.board = TownshipBoard(self)
        self.board_view = QTableView()
        self.board_view.setObjectName("townships")
        self.board_view.setModel(self.board)
        self.board_view.verticalHeader().setVisible(False)
        self.board_view.horizontalHeader().setStretchLastSection(True)
        self.board_summary = QLabel()
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.board_summary)
        layout.addWidget(self.board_view, 1)
        self.tabs.addTab(page, icon("village"), self.tr("Townships"))

    def _action(self, text: str, slot: Callable[[], Any], keys: str | None = None) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        return action

    def _build_menus(self) -> None:
        """File (export, refresh, quit) and View; nothing that edits."""
        self.export_annual = self._action(
            self.tr("Export &annual forms…"), lambda: self.export("annual")
        )
        self.export_assessment = self._action(
            self.tr("Export the &assessment of the townships…"), lambda: self.export("assessment")
        )
        self.refresh_action = self._action(self.tr("&Refresh"), self.refresh, "F5")
        self.quit_action = self._action(self.tr("&Quit"), self.close, "Ctrl+Q")
        self.show_indicators = self._action(
            self.tr("&Indicators"), lambda: self.tabs.setCurrentIndex(0), "Ctrl+1"
        )
        self.show_townships = self._action(
            self.tr("&Townships"), lambda: self.tabs.setCurrentIndex(1), "Ctrl+2"
        )
        for action in (self.export_annual, self.export_assessment):
            action.setEnabled(self.dashboard is not None)
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        export = file_menu.addMenu(self.tr("&Export to Excel"))
        export.addAction(self.export_annual)
        export.addAction(self.export_assessment)
        file_menu.addAction(self.refresh_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view = self.menuBar().addMenu(self.tr("&View"))
        view.addAction(self.show_indicators)
        view.addAction(self.show_townships)

    # -- doing --------------------------------------------------------------------------

    def export(self, kind: str) -> None:
        """File ▸ Export: the workbook `fpdesk hub report --kind KIND` writes."""
        if self.dashboard is not None:
            self.dashboard.export_workbook(kind)

    def refresh(self) -> None:
        self.refresh_board()
        if self.dashboard is not None:
            self.dashboard.refresh()

    def refresh_board(self) -> None:
        try:
            found = self.session.status(self.clock.today())
        except FpdeskError as exc:
            QMessageBox.warning(self, self.tr("Townships"), _text(exc))
            return
        self.board.set_rows(found.townships)
        self.board_view.resizeColumnsToContents()
        if not found.townships:
            self.board_summary.setText(self.tr("No township has enrolled yet."))
            return
        self.board_summary.setText(
            self.tr("%1 townships, %2 late, %3 with missing changes")
            .replace("%1", str(len(found.townships)))
            .replace("%2", str(len(found.late)))
            .replace("%3", str(len(found.holes)))
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dashboard is not None and self.dashboard.task is not None:
            # A count or a workbook on its own connection ends before the server that
            # serves it (this computer's) stops.
            QThreadPool.globalInstance().waitForDone(60_000)
        self.session.close()  # an embedded server stops with the window
        super().closeEvent(event)


# ---------------------------------------------------------------- logging in


def ask_password(user: str, where: str, again: bool, parent: QWidget | None = None) -> str | None:
    """The password, typed (never kept beyond the session, never shown); None: cancelled."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("hub_password")
    dialog.setWindowTitle(QCoreApplication.translate("HubLogin", "Log in to the district hub"))
    if again:
        label = QCoreApplication.translate(
            "HubLogin", "The password was not accepted. Type the password of user %1 at %2 again:"
        )
    else:
        label = QCoreApplication.translate("HubLogin", "Password of user %1 at %2:")
    dialog.setLabelText(label.replace("%1", user).replace("%2", where))
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    if dialog.exec() != QInputDialog.DialogCode.Accepted:
        return None
    return dialog.textValue()


def failed(exc: FpdeskError, parent: QWidget | None = None) -> bool:
    """The hub's plain message; True: try again."""
    box = QMessageBox(parent)
    box.setObjectName("hub_failed")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("HubLogin", "District hub"))
    box.setText(_text(exc))
    again = box.addButton(
        QCoreApplication.translate("HubLogin", "Try again"), QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton(
        QCoreApplication.translate("HubLogin", "Close"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(again)
    box.exec()
    return box.clickedButton() is again


def log_in(opening: Opening, user: str = "", where: str = "") -> Session | None:
    """Open the hub, asking for the password when the server wants one; a refused login
    (a wrong password, the address's own, an unknown user) is said plainly, then the
    password asked again; any other failure is said, with the choice to try again.
    None: the user gave up."""
    password: str | None = None
    while True:
        try:
            return opening(password)
        except FpdeskError as exc:
            needed = getattr(exc, "password_needed", False)
            refused = getattr(exc, "login_refused", False) and not needed
            if not (needed or refused):
                log.info("hub not opened: %s", exc.text.en)
                if not failed(exc):
                    return None
                continue
            if refused and not failed(exc):
                return None
            password = ask_password(user, where, again=refused)
            if password is None:
                return None


def start(
    opening: Opening,
    lang: str | None = None,
    clock: Clock | None = None,
    *,
    user: str = "",
    where: str = "",
) -> HubWindow | None:
    """Everything before the event loop: language, logging in, the window shown (None:
    not opened, nothing written)."""
    application = gui_app.application()
    crash.setup_logging()
    crash.route_qt_messages()
    crash.install_excepthook()
    prefs = Settings()
    if lang:
        prefs.language = lang
    gui_app.set_language(application, prefs.language)
    session = log_in(opening, user, where)
    if session is None:
        return None
    window = HubWindow(session, clock)
    gui_app.show_fitted(window, prefs)
    return window


def main(opening: Opening, lang: str | None = None, *, user: str = "", where: str = "") -> int:
    """`fpdesk gui --hub [URL]`: 1 when the hub could not be opened."""
    window = start(opening, lang, user=user, where=where)
    if window is None:
        return 1
    status = QApplication.instance().exec()  # type: ignore[union-attr]
    return int(status)
