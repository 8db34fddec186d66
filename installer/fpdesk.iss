; Inno Setup script for fpdesk on Windows (Inno Setup 6.4.1 or newer).  The wizard's
; Chinese messages are the project's own ChineseSimplified.isl next to this script, so no
; particular Inno Setup release needs to ship them.  Build steps: installer/README.md.
;
; Per-user install, no administrator rights.  The registers, keys and settings live in
; the user's data folder (%LOCALAPPDATA%\fpdesk), which this installer never writes and
; the uninstaller never deletes: an upgrade or an uninstall cannot lose a register.

#define AppName "fpdesk"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir "..\build\dist\fpdesk"
#endif
#ifndef OutputDir
  #define OutputDir "..\build\installer"
#endif

[Setup]
; The AppId ties upgrades to earlier installs: never change it.
AppId={{6E0C1B52-8C0F-4F5B-9C9A-3B1E2D7F4A10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=fpdesk
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputDir={#OutputDir}
OutputBaseFilename=fpdesk-{#AppVersion}-setup
SetupIconFile=build-assets\fpdesk.ico
UninstallDisplayIcon={app}\fpdesk.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Close a running fpdesk before replacing its files (it saves and locks its register).
CloseApplications=yes
; Chinese first, whatever the language Windows was set up in (many officers' laptops
; are set up in English): the wizard starts in the first language listed below, and
; the language dialog still offers English.
LanguageDetectionMethod=none

[Languages]
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.DesktopIcon=在桌面上创建快捷方式
english.DesktopIcon=Create a desktop shortcut
chinesesimplified.LaunchApp=现在打开 fpdesk
english.LaunchApp=Open fpdesk now
chinesesimplified.KeptData=您的登记册和密钥保存在 %LOCALAPPDATA%\fpdesk，卸载不会删除它们。
english.KeptData=Your registers and keys stay in %LOCALAPPDATA%\fpdesk; uninstalling does not delete them.

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[InstallDelete]
; Clear the previous release's program files (only {app}: never the data folder), so a
; module removed in this release cannot linger and be imported.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\fpdesk.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\fpdesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\fpdesk.exe"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    SuppressibleMsgBox(CustomMessage('KeptData'), mbInformation, MB_OK, IDOK);
end;
