@echo off
rem guide-wizard @VERSION@: install from this folder, without any network access.
rem Usage: install.bat [TARGET]   (default TARGET: %USERPROFILE%\guide-wizard)
rem The interpreter is %PYTHON%, else "py -@PY_VERSION@", else python.
setlocal
set "HERE=%~dp0."
set "TARGET=%~1"
if "%TARGET%"=="" set "TARGET=%USERPROFILE%\guide-wizard"
if not defined PYTHON (
    py -@PY_VERSION@ -c "" >nul 2>&1 && set "PYTHON=py -@PY_VERSION@"
)
if not defined PYTHON set "PYTHON=python"

rem The bundle's compiled wheels (pydantic-core) fit one Python version only.
%PYTHON% -c "import sys; sys.exit(sys.version_info[:2] != (@PY_MAJOR@, @PY_MINOR@))" >nul 2>&1
if errorlevel 1 (
    echo This bundle needs Python @PY_VERSION@ ^(%PYTHON% is not^): set PYTHON=C:\path\to\python.exe and retry. 1>&2
    exit /b 1
)

%PYTHON% -m venv "%TARGET%" || exit /b 1
"%TARGET%\Scripts\python.exe" -m pip install --no-index --find-links "%HERE%" --upgrade guide-wizard || exit /b 1

echo Installed: %TARGET%\Scripts\wizard.exe
echo Run:       "%TARGET%\Scripts\wizard.exe"
endlocal
