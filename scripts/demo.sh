#!/usr/bin/env bash
# The main job, end to end, on the embedded SQLite store: validate the baseline and the Oxfordshire
# options, keep each option on its own branch, check every date of each transition, and write the
# diffs, diagrams and board pack that go to the Strategy Board into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
R=".venv/bin/restructure"
OUT=out
rm -rf "$OUT" && mkdir -p "$OUT"
export RESTRUCTURE_DATABASE_URL="sqlite:///$OUT/restructure.db"

step() { printf '\n== %s\n' "$*"; }

step "Validate the baseline and every shipped scenario"
$R validate scenarios/baseline/thames-valley.yaml scenarios/prevention-partnerships.yaml scenarios/oxfordshire/*.yaml

step "Who covers Cherwell, and who discharges the Serious Violence Duty there?"
$R show scenarios/baseline/thames-valley.yaml --area E07000177 --as-of 2026-11-25

step "A version store with the baseline, and one branch per Oxfordshire option"
$R init --baseline scenarios/baseline/thames-valley.yaml
for option in csp-merge one-unitary two-unitaries three-unitaries ridgeway-reading-wards; do
  $R apply "scenarios/oxfordshire/$option.yaml" --branch "oxon-$option" -o "$OUT/$option.yaml"
done
$R branch
$R log oxon-two-unitaries

step "Check every date of each transition (exit 1 means error findings: expected for some options)"
for option in csp-merge one-unitary two-unitaries three-unitaries; do
  $R check "scenarios/oxfordshire/$option.yaml" --format markdown > "$OUT/$option-findings.md" || [ $? -eq 1 ]
  echo "$option: $(grep -c '^| 20' "$OUT/$option-findings.md" || true) findings -> $OUT/$option-findings.md"
done
$R check scenarios/oxfordshire/two-unitaries.yaml || [ $? -eq 1 ]

step "What changes? (semantic diff, and as a board paper)"
$R diff scenarios/oxfordshire/two-unitaries.yaml --stat
$R diff scenarios/oxfordshire/two-unitaries.yaml --format markdown > "$OUT/two-unitaries-diff.md"
$R diff baseline oxon-three-unitaries --stat

step "Diagrams and the board pack"
$R render scenarios/baseline/thames-valley.yaml --as-of 2026-11-25 -o "$OUT/baseline.svg"
$R render scenarios/baseline/thames-valley.yaml --as-of 2026-11-25 --view coverage -o "$OUT/baseline-coverage.svg"
$R render --diff scenarios/baseline/thames-valley.yaml "$OUT/two-unitaries.yaml" -o "$OUT/two-unitaries-change.svg"
for option in one-unitary two-unitaries three-unitaries; do
  $R report "scenarios/oxfordshire/$option.yaml" -o "$OUT/board-pack-$option.html"
done

step "Your own area: a draft register for Surrey from the bundled data, and Surrey's 2027 options"
$R new-area --pfa Surrey -o "$OUT/surrey-draft.yaml"
$R check "$OUT/surrey-draft.yaml" --format markdown > "$OUT/surrey-draft-to-confirm.md"
$R validate scenarios/surrey/baseline.yaml scenarios/surrey/*-2027.yaml
for option in two-unitaries-2027 one-csp-per-unitary-2027; do
  $R check "scenarios/surrey/$option.yaml" || [ $? -eq 1 ]
  $R report "scenarios/surrey/$option.yaml" -o "$OUT/board-pack-surrey-$option.html"
done

step "The options side by side, and the options appraisal on A4 (PDF, printed by headless Chromium)"
OXON="scenarios/oxfordshire/one-unitary.yaml scenarios/oxfordshire/two-unitaries.yaml scenarios/oxfordshire/three-unitaries.yaml"
$R compare $OXON scenarios/oxfordshire/csp-merge.yaml
$R compare $OXON scenarios/oxfordshire/csp-merge.yaml --format csv -o "$OUT/oxfordshire-options.csv"
$R check scenarios/oxfordshire/two-unitaries.yaml --format csv > "$OUT/two-unitaries-findings.csv" || [ $? -eq 1 ]
$R report $OXON -o "$OUT/oxfordshire-options.html" --marking OFFICIAL-SENSITIVE
$R report $OXON -o "$OUT/oxfordshire-options.pdf" --marking OFFICIAL-SENSITIVE

step "Surrey's options side by side, and their options appraisal (PDF)"
SURREY="scenarios/surrey/two-unitaries-2027.yaml scenarios/surrey/one-csp-per-unitary-2027.yaml"
$R compare $SURREY
$R compare $SURREY --format csv -o "$OUT/surrey-options.csv"
$R report $SURREY -o "$OUT/surrey-options.pdf" --marking OFFICIAL-SENSITIVE

step "Done"
ls -1 "$OUT"
