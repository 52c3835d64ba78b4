# Sourced by the checks that run .NET Framework builds under Mono (40, 50, 60): sets $mono, or ends the check, skipped
# (exit 77, the reason on a "SKIPPED:" line) or, under CI=true, failed. ALIPAYHK_MONO points to another mono (or, set to
# a path that does not exist, hides it).
mono=${ALIPAYHK_MONO:-$(command -v mono || true)}
if [ -z "$mono" ] || [ ! -x "$mono" ] || [ ! -e "$(dirname "$(dirname "$(readlink -f "$mono")")")/lib/mono/4.5/System.dll" ]; then
  reason="mono (with its 4.5 class libraries) is missing${ALIPAYHK_MONO:+ (ALIPAYHK_MONO=$ALIPAYHK_MONO)}. ./test.sh installs it on Debian or Ubuntu, or run: sudo apt-get install mono-runtime mono-devel"
  case "${CI:-}" in
    true|TRUE|True|1) echo "ERROR: $reason (CI=true: a missing part fails the run instead of skipping)"; exit 1 ;;
    *) echo "SKIPPED: $reason"; exit 77 ;;
  esac
fi
