; Inno Setup script: the Windows installer for RPA Assistant.
;
; It installs the one-folder build (dist\rpa-assistant\, made by `pyinstaller build.spec`)
; and adds a Start-menu entry for rpa-assistant.exe, the desktop app without a console
; window. rpa-assistant-cli.exe beside it is the command line (and --self-test).
; .github/workflows/windows.yml builds it after the package:
;
;   iscc /DAppVersion=0.1.0 package\rpa-assistant.iss      -> dist\installer\
;
; It installs for the current user by default (no administrator rights needed; the
; setup offers all users too). The user's macros live in %LOCALAPPDATA%\rpa-assistant and
; are kept when the app is uninstalled.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "RPA Assistant"
#define AppExe "rpa-assistant.exe"

[Setup]
; The AppId identifies the app to Windows across versions: never change it.
AppId={{18F6D0F8-0FB4-4AA1-AB34-0CAD7BAD2F2A}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=RPA Assistant contributors
; Paths below are relative to the repository root.
SourceDir=..
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=dist\installer
OutputBaseFilename=rpa-assistant-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "dist\rpa-assistant\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
