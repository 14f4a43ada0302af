// The CreditRisk library: the core of CreditSim, in four layers that depend downwards only (the
// compiler enforces it): CreditMath (special functions, random streams, linear algebra, exact
// sums), CreditModel (validated portfolios), CreditEngine (the simulation, returning a sample)
// and CreditStatistics (what is computed from a sample, and the analytic models). Importing
// CreditRisk imports all four.
@_exported import CreditEngine
@_exported import CreditMath
@_exported import CreditModel
@_exported import CreditStatistics
