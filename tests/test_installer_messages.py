"""The installer wizard's Chinese: installer/ChineseSimplified.isl, fpdesk's own messages file.

Inno Setup 6.4.1 (the compiler on the npm registry) ships no Chinese, so fpdesk.iss takes
its wizard texts from this file.  Setup reads every message by its key: a key missing,
misspelt or doubled, a lost %1 or [name], or a file not saved as Unicode gives a wizard
with English holes, wrong words or garbage.  The keys and placeholders below were taken
once from Inno Setup 6.4.1's English Default.isl, so this test needs no Inno Setup.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

INSTALLER = Path(__file__).resolve().parents[1] / "installer"
ISL = INSTALLER / "ChineseSimplified.isl"


def _words(text: str) -> list[str]:
    return text.split()


# The keys of Default.isl (Inno Setup 6.4.1), in its order.
MESSAGES = _words(
    """
    SetupAppTitle SetupWindowTitle UninstallAppTitle UninstallAppFullTitle
    InformationTitle ConfirmTitle ErrorTitle SetupLdrStartupMessage LdrCannotCreateTemp
    LdrCannotExecTemp HelpTextNote LastErrorMessage SetupFileMissing SetupFileCorrupt
    SetupFileCorruptOrWrongVer InvalidParameter SetupAlreadyRunning
    WindowsVersionNotSupported WindowsServicePackRequired NotOnThisPlatform
    OnlyOnThisPlatform OnlyOnTheseArchitectures WinVersionTooLowError
    WinVersionTooHighError AdminPrivilegesRequired PowerUserPrivilegesRequired
    SetupAppRunningError UninstallAppRunningError PrivilegesRequiredOverrideTitle
    PrivilegesRequiredOverrideInstruction PrivilegesRequiredOverrideText1
    PrivilegesRequiredOverrideText2 PrivilegesRequiredOverrideAllUsers
    PrivilegesRequiredOverrideAllUsersRecommended PrivilegesRequiredOverrideCurrentUser
    PrivilegesRequiredOverrideCurrentUserRecommended ErrorCreatingDir
    ErrorTooManyFilesInDir ExitSetupTitle ExitSetupMessage AboutSetupMenuItem
    AboutSetupTitle AboutSetupMessage AboutSetupNote TranslatorNote ButtonBack
    ButtonNext ButtonInstall ButtonOK ButtonCancel ButtonYes ButtonYesToAll ButtonNo
    ButtonNoToAll ButtonFinish ButtonBrowse ButtonWizardBrowse ButtonNewFolder
    SelectLanguageTitle SelectLanguageLabel ClickNext BeveledLabel BrowseDialogTitle
    BrowseDialogLabel NewFolderName WelcomeLabel1 WelcomeLabel2 WizardPassword
    PasswordLabel1 PasswordLabel3 PasswordEditLabel IncorrectPassword WizardLicense
    LicenseLabel LicenseLabel3 LicenseAccepted LicenseNotAccepted WizardInfoBefore
    InfoBeforeLabel InfoBeforeClickLabel WizardInfoAfter InfoAfterLabel
    InfoAfterClickLabel WizardUserInfo UserInfoDesc UserInfoName UserInfoOrg
    UserInfoSerial UserInfoNameRequired WizardSelectDir SelectDirDesc SelectDirLabel3
    SelectDirBrowseLabel DiskSpaceGBLabel DiskSpaceMBLabel CannotInstallToNetworkDrive
    CannotInstallToUNCPath InvalidPath InvalidDrive DiskSpaceWarningTitle
    DiskSpaceWarning DirNameTooLong InvalidDirName BadDirName32 DirExistsTitle DirExists
    DirDoesntExistTitle DirDoesntExist WizardSelectComponents SelectComponentsDesc
    SelectComponentsLabel2 FullInstallation CompactInstallation CustomInstallation
    NoUninstallWarningTitle NoUninstallWarning ComponentSize1 ComponentSize2
    ComponentsDiskSpaceGBLabel ComponentsDiskSpaceMBLabel WizardSelectTasks
    SelectTasksDesc SelectTasksLabel2 WizardSelectProgramGroup SelectStartMenuFolderDesc
    SelectStartMenuFolderLabel3 SelectStartMenuFolderBrowseLabel MustEnterGroupName
    GroupNameTooLong InvalidGroupName BadGroupName NoProgramGroupCheck2 WizardReady
    ReadyLabel1 ReadyLabel2a ReadyLabel2b ReadyMemoUserInfo ReadyMemoDir ReadyMemoType
    ReadyMemoComponents ReadyMemoGroup ReadyMemoTasks DownloadingLabel
    ButtonStopDownload StopDownload ErrorDownloadAborted ErrorDownloadFailed
    ErrorDownloadSizeFailed ErrorFileHash1 ErrorFileHash2 ErrorProgress ErrorFileSize
    ExtractionLabel ButtonStopExtraction StopExtraction ErrorExtractionAborted
    ErrorExtractionFailed WizardPreparing PreparingDesc PreviousInstallNotCompleted
    CannotContinue ApplicationsFound ApplicationsFound2 CloseApplications
    DontCloseApplications ErrorCloseApplications PrepareToInstallNeedsRestart
    WizardInstalling InstallingLabel FinishedHeadingLabel FinishedLabelNoIcons
    FinishedLabel ClickFinish FinishedRestartLabel FinishedRestartMessage
    ShowReadmeCheck YesRadio NoRadio RunEntryExec RunEntryShellExec ChangeDiskTitle
    SelectDiskLabel2 PathLabel FileNotInDir2 SelectDirectoryLabel SetupAborted
    AbortRetryIgnoreSelectAction AbortRetryIgnoreRetry AbortRetryIgnoreIgnore
    AbortRetryIgnoreCancel StatusClosingApplications StatusCreateDirs StatusExtractFiles
    StatusCreateIcons StatusCreateIniEntries StatusCreateRegistryEntries
    StatusRegisterFiles StatusSavingUninstall StatusRunProgram
    StatusRestartingApplications StatusRollback ErrorInternal2 ErrorFunctionFailedNoCode
    ErrorFunctionFailed ErrorFunctionFailedWithMessage ErrorExecutingProgram
    ErrorRegOpenKey ErrorRegCreateKey ErrorRegWriteKey ErrorIniEntry
    FileAbortRetryIgnoreSkipNotRecommended FileAbortRetryIgnoreIgnoreNotRecommended
    SourceIsCorrupted SourceDoesntExist ExistingFileReadOnly2 ExistingFileReadOnlyRetry
    ExistingFileReadOnlyKeepExisting ErrorReadingExistingDest FileExistsSelectAction
    FileExists2 FileExistsOverwriteExisting FileExistsKeepExisting
    FileExistsOverwriteOrKeepAll ExistingFileNewerSelectAction ExistingFileNewer2
    ExistingFileNewerOverwriteExisting ExistingFileNewerKeepExisting
    ExistingFileNewerOverwriteOrKeepAll ErrorChangingAttr ErrorCreatingTemp
    ErrorReadingSource ErrorCopying ErrorReplacingExistingFile ErrorRestartReplace
    ErrorRenamingTemp ErrorRegisterServer ErrorRegSvr32Failed ErrorRegisterTypeLib
    UninstallDisplayNameMark UninstallDisplayNameMarks UninstallDisplayNameMark32Bit
    UninstallDisplayNameMark64Bit UninstallDisplayNameMarkAllUsers
    UninstallDisplayNameMarkCurrentUser ErrorOpeningReadme ErrorRestartingComputer
    UninstallNotFound UninstallOpenError UninstallUnsupportedVer UninstallUnknownEntry
    ConfirmUninstall UninstallOnlyOnWin64 OnlyAdminCanUninstall UninstallStatusLabel
    UninstalledAll UninstalledMost UninstalledAndNeedsRestart UninstallDataCorrupted
    ConfirmDeleteSharedFileTitle ConfirmDeleteSharedFile2 SharedFileNameLabel
    SharedFileLocationLabel WizardUninstalling StatusUninstalling
    ShutdownBlockReasonInstallingApp ShutdownBlockReasonUninstallingApp
"""
)
CUSTOM_MESSAGES = _words(
    """
    NameAndVersion AdditionalIcons CreateDesktopIcon CreateQuickLaunchIcon
    ProgramOnTheWeb UninstallProgram LaunchProgram AssocFileExtension
    AssocingFileExtension AutoStartProgramGroupDescription AutoStartProgram
    AddonHostProgramNotFound
"""
)

# Every placeholder of Default.isl, per message: %1..%9 and %n (a line break) are filled
# in by Setup, [name], [name/ver], [mb] and [gb] by the wizard.  A message not named
# here has none.
PLACEHOLDERS = {
    key: sorted(marks)
    for key, *marks in (
        line.split()
        for line in """
    SetupWindowTitle %1
    UninstallAppFullTitle %1
    SetupLdrStartupMessage %1
    LastErrorMessage %1 %2 %3 %n %n
    SetupFileMissing %1
    InvalidParameter %1 %n %n
    WindowsServicePackRequired %1 %2
    NotOnThisPlatform %1
    OnlyOnThisPlatform %1
    OnlyOnTheseArchitectures %1 %n %n
    WinVersionTooLowError %1 %2
    WinVersionTooHighError %1 %2
    SetupAppRunningError %1 %n %n
    UninstallAppRunningError %1 %n %n
    PrivilegesRequiredOverrideText1 %1
    PrivilegesRequiredOverrideText2 %1
    ErrorCreatingDir %1
    ErrorTooManyFilesInDir %1
    ExitSetupMessage %n %n %n %n
    AboutSetupMessage %1 %1 %2 %3 %4 %n %n %n %n
    WelcomeLabel1 [name]
    WelcomeLabel2 %n %n [name/ver]
    SelectDirDesc [name]
    SelectDirLabel3 [name]
    DiskSpaceGBLabel [gb]
    DiskSpaceMBLabel [mb]
    InvalidPath %n %n %n %n %n %n
    DiskSpaceWarning %1 %2 %n %n
    BadDirName32 %1 %n %n
    DirExists %1 %n %n %n %n
    DirDoesntExist %1 %n %n %n %n
    NoUninstallWarning %1 %n %n %n %n %n %n
    ComponentSize1 %1
    ComponentSize2 %1
    ComponentsDiskSpaceGBLabel [gb]
    ComponentsDiskSpaceMBLabel [mb]
    SelectTasksLabel2 [name]
    BadGroupName %1 %n %n
    ReadyLabel1 [name]
    ErrorDownloadFailed %1 %2
    ErrorDownloadSizeFailed %1 %2
    ErrorFileHash1 %1
    ErrorFileHash2 %1 %2
    ErrorProgress %1 %2
    ErrorFileSize %1 %2
    ErrorExtractionFailed %1
    PreparingDesc [name]
    PreviousInstallNotCompleted %n %n [name]
    PrepareToInstallNeedsRestart %n %n [name]
    InstallingLabel [name]
    FinishedHeadingLabel [name]
    FinishedLabelNoIcons [name]
    FinishedLabel [name]
    FinishedRestartLabel [name]
    FinishedRestartMessage %n %n [name]
    RunEntryExec %1
    RunEntryShellExec %1
    SelectDiskLabel2 %1 %n %n
    FileNotInDir2 %1 %2
    SetupAborted %n %n
    ErrorInternal2 %1
    ErrorFunctionFailedNoCode %1
    ErrorFunctionFailed %1 %2
    ErrorFunctionFailedWithMessage %1 %2 %3 %n
    ErrorExecutingProgram %1 %n
    ErrorRegOpenKey %1 %2 %n
    ErrorRegCreateKey %1 %2 %n
    ErrorRegWriteKey %1 %2 %n
    ErrorIniEntry %1
    SourceDoesntExist %1
    ErrorRegisterServer %1
    ErrorRegSvr32Failed %1
    ErrorRegisterTypeLib %1
    UninstallDisplayNameMark %1 %2
    UninstallDisplayNameMarks %1 %2 %3
    UninstallNotFound %1
    UninstallOpenError %1
    UninstallUnsupportedVer %1
    UninstallUnknownEntry %1
    ConfirmUninstall %1
    UninstallStatusLabel %1
    UninstalledAll %1
    UninstalledMost %1 %n %n
    UninstalledAndNeedsRestart %1 %n %n
    UninstallDataCorrupted %1
    ConfirmDeleteSharedFile2 %n %n
    StatusUninstalling %1
    ShutdownBlockReasonInstallingApp %1
    ShutdownBlockReasonUninstallingApp %1
    NameAndVersion %1 %2
    ProgramOnTheWeb %1
    UninstallProgram %1
    LaunchProgram %1
    AssocFileExtension %1 %2
    AssocingFileExtension %1 %2
    AutoStartProgram %1
    AddonHostProgramNotFound %1 %n %n
""".strip().splitlines()
    )
}

# The messages whose English has a keyboard accelerator (&): the Chinese keeps one.
ACCELERATED = set(
    _words(
        """
    PrivilegesRequiredOverrideAllUsers PrivilegesRequiredOverrideAllUsersRecommended
    PrivilegesRequiredOverrideCurrentUser
    PrivilegesRequiredOverrideCurrentUserRecommended AboutSetupMenuItem ButtonBack
    ButtonNext ButtonInstall ButtonYes ButtonYesToAll ButtonNo ButtonNoToAll
    ButtonFinish ButtonBrowse ButtonWizardBrowse ButtonNewFolder PasswordEditLabel
    LicenseAccepted LicenseNotAccepted UserInfoName UserInfoOrg UserInfoSerial
    NoProgramGroupCheck2 ButtonStopDownload ButtonStopExtraction CloseApplications
    DontCloseApplications YesRadio NoRadio PathLabel AbortRetryIgnoreRetry
    AbortRetryIgnoreIgnore FileAbortRetryIgnoreSkipNotRecommended
    FileAbortRetryIgnoreIgnoreNotRecommended ExistingFileReadOnlyRetry
    ExistingFileReadOnlyKeepExisting FileExistsOverwriteExisting FileExistsKeepExisting
    FileExistsOverwriteOrKeepAll ExistingFileNewerOverwriteExisting
    ExistingFileNewerKeepExisting ExistingFileNewerOverwriteOrKeepAll CreateDesktopIcon
    CreateQuickLaunchIcon AssocFileExtension
"""
    )
)

# Messages that Default.isl leaves empty, and those that are the same in any language.
EMPTY = {"HelpTextNote", "AboutSetupNote", "TranslatorNote", "BeveledLabel"}
NO_WORDS = {
    "ComponentSize1",
    "ComponentSize2",
    "UninstallDisplayNameMark",
    "UninstallDisplayNameMarks",
}

PLACEHOLDER = re.compile(r"%[1-9n]|\[(?:name|name/ver|mb|gb)\]")
CJK = re.compile(r"[\u4e00-\u9fff]")


@functools.cache
def _sections() -> dict[str, list[tuple[str, str]]]:
    """Section name -> its (key, value) lines in order; fails on any other kind of line."""
    text = ISL.read_bytes().decode("utf-8-sig")
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith(";"):
            continue
        if line.startswith("[") and line.rstrip().endswith("]"):
            current = line.strip()[1:-1]
            assert current not in sections, f"line {number}: section [{current}] twice"
            sections[current] = []
            continue
        key, equals, value = line.partition("=")
        assert current is not None, f"line {number}: outside any section"
        assert equals and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", key), (
            f"line {number}: not key=value: {line!r}"
        )
        sections[current].append((key, value))
    return sections


def _messages() -> dict[str, str]:
    sections = _sections()
    return dict(sections["Messages"] + sections["CustomMessages"])


def test_is_utf8_with_a_byte_order_mark() -> None:
    # Inno Setup 6 reads a messages file as Unicode only when it starts with the BOM;
    # without it the Chinese is read in the compiling machine's code page and garbled.
    raw = ISL.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")  # strict: no stray bytes


def test_has_the_sections_of_default_isl_and_no_key_twice() -> None:
    sections = _sections()
    assert list(sections) == ["LangOptions", "Messages", "CustomMessages"]
    for name, lines in sections.items():
        keys = [key for key, _ in lines]
        doubled = sorted({key for key in keys if keys.count(key) > 1})
        assert doubled == [], f"[{name}] has these keys twice: {doubled}"


def test_has_exactly_the_messages_of_inno_setup_6_4_1_in_order() -> None:
    sections = _sections()
    assert [key for key, _ in sections["Messages"]] == MESSAGES
    assert [key for key, _ in sections["CustomMessages"]] == CUSTOM_MESSAGES


def test_names_the_language_for_chinese_windows() -> None:
    options = dict(_sections()["LangOptions"])
    # <XXXX> is Inno Setup's spelling of a Unicode character in LanguageName.
    name = re.sub(
        r"<([0-9A-Fa-f]{4})>", lambda m: chr(int(m.group(1), 16)), options["LanguageName"]
    )
    assert name == "简体中文"
    assert options["LanguageID"] == "$0804"
    assert options["LanguageCodePage"] == "936"
    assert options["DialogFontName"] == "Microsoft YaHei UI"


@pytest.mark.parametrize("key", MESSAGES + CUSTOM_MESSAGES)
def test_keeps_the_placeholders_and_accelerator_of_the_english(key: str) -> None:
    value = _messages()[key]
    assert sorted(PLACEHOLDER.findall(value)) == PLACEHOLDERS.get(key, []), value
    # a stray % not followed by a digit or n would be shown as is
    assert re.findall(r"%(?![1-9n])", value) == [], value
    accelerators = re.findall(r"&[^&\s]", value.replace("&&", ""))
    assert len(accelerators) == (1 if key in ACCELERATED else 0), value


@pytest.mark.parametrize("key", MESSAGES + CUSTOM_MESSAGES)
def test_every_message_is_in_chinese(key: str) -> None:
    value = _messages()[key]
    if key in EMPTY:
        assert value == ""
    elif key not in NO_WORDS:
        assert CJK.search(value), f"{key} has no Chinese: {value!r}"


def test_fpdesk_iss_takes_its_chinese_from_this_file() -> None:
    iss = (INSTALLER / "fpdesk.iss").read_text(encoding="utf-8")
    line = next(line for line in iss.splitlines() if line.startswith('Name: "chinesesimplified"'))
    messages_file = re.search(r'MessagesFile: "([^"]+)"', line)
    assert messages_file is not None
    assert (INSTALLER / messages_file.group(1)).resolve() == ISL.resolve()
