/// Code that runs once per plan, specialised for its (latent model, outcome) pair: the plan's
/// enums are switched on in one place (`SimulationPlan.visit`), and each visitor gets concrete
/// types, so the hot loops it builds have no existential calls.
protocol PlanVisitor {
    associatedtype Result
    /// `factorModel` says whether `latent` is the factor model (the only one that importance
    /// sampling and factor records apply to).
    func visit<Latent: LatentModel, Outcome: PathOutcome>(latent: Latent, outcome: Outcome, factorModel: Bool) -> Result
}

extension SimulationPlan {
    func visit<Visitor: PlanVisitor>(_ visitor: Visitor) -> Visitor.Result {
        switch latent {
        case let .factors(model): return visitOutcome(model, factorModel: true, visitor)
        case let .correlated(model): return visitOutcome(model, factorModel: false, visitor)
        }
    }

    private func visitOutcome<Latent: LatentModel, Visitor: PlanVisitor>(
        _ latent: Latent, factorModel: Bool, _ visitor: Visitor) -> Visitor.Result {
        switch outcome {
        case let .constant(o): return visitor.visit(latent: latent, outcome: o, factorModel: factorModel)
        case let .piecewise(o): return visitor.visit(latent: latent, outcome: o, factorModel: factorModel)
        case let .market(o): return visitor.visit(latent: latent, outcome: o, factorModel: factorModel)
        case let .marketPiecewise(o): return visitor.visit(latent: latent, outcome: o, factorModel: factorModel)
        }
    }
}
