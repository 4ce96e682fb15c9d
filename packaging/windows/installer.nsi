; The Windows installer: per user (asks for no administrator rights), into
; %LOCALAPPDATA%\Programs\ashare-monitor, with a Start-menu shortcut, an optional desktop
; shortcut and an uninstaller listed in Settings > Apps. Built on Linux by
; packaging/build_windows.sh with Debian's makensis:
;   makensis -DVERSION=0.1.0 -DSRC=dist\ashare-monitor -DOUT=setup.exe -DICON=app.ico installer.nsi
; The user's settings, watchlists and recordings (%APPDATA%, %LOCALAPPDATA%\ashare-monitor)
; are never touched by install, upgrade or uninstall.

Unicode true
Target amd64-unicode  ; the x86 stub would need 32-bit Windows-on-Windows under Wine
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "-DVERSION=x.y.z is required"
!endif
!ifndef SRC
  !error "-DSRC=<the one-folder app> is required"
!endif
!ifndef OUT
  !error "-DOUT=<setup.exe> is required"
!endif
!ifndef ICON
  !error "-DICON=<ashare-monitor.ico> is required"
!endif

!define APP "A-Share Monitor"
!define EXE "ashare-monitor.exe"
!define KEY "Software\ashare-monitor"
!define UNINST "Software\Microsoft\Windows\CurrentVersion\Uninstall\ashare-monitor"

Name "${APP}"
Caption "${APP} ${VERSION}"
OutFile "${OUT}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\ashare-monitor"
InstallDirRegKey HKCU "${KEY}" "InstallDir"
BrandingText "${APP} ${VERSION}"

!include "MUI2.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP} installer"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "MIT License"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "A-Share Monitor contributors"

LangString DESC_APP ${LANG_ENGLISH} "A-Share Monitor (required)"
LangString DESC_APP ${LANG_SIMPCHINESE} "A股行情监控（必需）"
LangString DESC_DESKTOP ${LANG_ENGLISH} "Desktop shortcut"
LangString DESC_DESKTOP ${LANG_SIMPCHINESE} "桌面快捷方式"

Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Section "!$(DESC_APP)" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An upgrade removes the previous version's libraries first, so no stale DLL is left
  ; beside the new ones.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SRC}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  WriteRegStr HKCU "${KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINST}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST}" "Publisher" "A-Share Monitor contributors"
  WriteRegStr HKCU "${UNINST}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "${UNINST}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST}" "EstimatedSize" $0
SectionEnd

Section "$(DESC_DESKTOP)" SecDesktop
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$DESKTOP\${APP}.lnk"
  ; Only what the installer put there: a folder chosen by the user may hold other files.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST}"
  DeleteRegKey HKCU "${KEY}"
SectionEnd
