"""District budgets (wijkbudget): residents of a stadsdeel decide which plans get money (docs/BUDGETS.md)."""
