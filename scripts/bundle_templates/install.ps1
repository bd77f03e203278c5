# guide-wizard @VERSION@: install from this folder, without any network access.
# Usage: powershell -ExecutionPolicy Bypass -File install.ps1 [-Target DIR]
# The interpreter is $env:PYTHON, else "py -@PY_VERSION@", else python.
param([string]$Target = (Join-Path $env:USERPROFILE "guide-wizard"))
$ErrorActionPreference = "Stop"

$python = @("python")
if ($env:PYTHON) {
    $python = @($env:PYTHON)
} elseif (Get-Command py -ErrorAction SilentlyContinue) {
    $python = @("py", "-@PY_VERSION@")
}
$exe = $python[0]
$pre = @($python | Select-Object -Skip 1)

# The bundle's compiled wheels (pydantic-core) fit one Python version only.
& $exe @pre -c "import sys; sys.exit(sys.version_info[:2] != (@PY_MAJOR@, @PY_MINOR@))"
if ($LASTEXITCODE -ne 0) {
    Write-Error "This bundle needs Python @PY_VERSION@ ($($python -join " ") is not): set `$env:PYTHON to its python.exe and retry."
    exit 1
}

& $exe @pre -m venv $Target
if ($LASTEXITCODE -ne 0) { exit 1 }
& (Join-Path $Target "Scripts\python.exe") -m pip install --no-index --find-links $PSScriptRoot --upgrade guide-wizard
if ($LASTEXITCODE -ne 0) { exit 1 }

Write-Host "Installed: $(Join-Path $Target "Scripts\wizard.exe")"
