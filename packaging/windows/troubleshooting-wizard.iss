; Inno Setup script: a per-machine installer of the standalone build for Windows.
; UNTESTED: written from Inno Setup 6's documentation; it has not been compiled or run on Windows yet.
;
; Build (on Windows, after `python scripts/build_standalone.py`, from the repository root):
;   python scripts/build_standalone.py --installer
; which runs
;   iscc /DAppVersion=<version from wizard\__init__.py> packaging\windows\troubleshooting-wizard.iss
; Deploy silently (device management, as an administrator):
;   troubleshooting-wizard-<version>-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Remove silently:
;   "C:\Program Files\Troubleshooting Wizard\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Organisation flow packs: put {"flow_dirs": ["\\\\server\\share\\pack\\flows"]} in
;   C:\ProgramData\troubleshooting-wizard\settings.json (see README, "Install for your team").

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (scripts/build_standalone.py --installer does)
#endif
#define AppName "Troubleshooting Wizard"
#define AppExe "troubleshooting-wizard.exe"
#ifndef BuildDir
  #define BuildDir "..\..\dist\troubleshooting-wizard"
#endif

[Setup]
; One id for every version, so an upgrade replaces the installed one. Never change it.
AppId={{6C7E2B0A-4F1D-4C55-9E3B-2A8D5F0C9B71}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Troubleshooting Wizard team
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per machine: installed once for every agent, by an administrator or device management.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=troubleshooting-wizard-{#AppVersion}-setup
SetupIconFile=..\icons\troubleshooting-wizard.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "swedish"; MessagesFile: "compiler:Languages\Swedish.isl"

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; A Start-menu entry for every user (the common Programs folder, as the install is per machine).
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the installer put there; the agents' settings and cases in their own folders stay.
Type: filesandordirs; Name: "{app}\_internal"
