import CreditMath
import CreditModel
import CreditEngine

extension SimulationOutput {
    /// The net or gross loss distribution, always with the path weights when there are any.
    public func distribution(_ loss: LossKind) -> EmpiricalLoss {
        let values = loss == .net ? net : gross
        return weights.map { EmpiricalLoss(values: values, weights: $0, reducer: reducer) }
            ?? EmpiricalLoss(values: values, reducer: reducer)
    }
}
