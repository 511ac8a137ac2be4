namespace CrmKernel.Metrics.Catalogue;

/// <summary>
/// The named forms of "simple" customer lifetime value with a constant margin per period m, retention r and discount
/// rate d (Fader &amp; Hardie 2012, "Reconciling and Clarifying CLV Formulas", note 024). They differ only in when the
/// first cash flow falls and whether the customer has yet to renew, and they are easily confused: always say which.
/// Each needs r &lt; 1 + d (otherwise the geometric series does not converge) and gives no value otherwise.
/// </summary>
public enum SimpleClvForm
{
    /// <summary>A prospect whose first payment is now: m(1+d)/(1+d−r). The upper bound on what to spend to acquire them.</summary>
    ProspectPaysNow = 1,

    /// <summary>The residual value of an existing customer who has just paid, next payment in one period if they renew: m·r/(1+d−r).</summary>
    ExistingResidual = 2,

    /// <summary>Cash flows at the end of each period, the first one period from now: m/(1+d−r).</summary>
    EndOfPeriod = 3,

    /// <summary>An existing customer about to renew now (pays now with probability r): m·r(1+d)/(1+d−r) — Fader &amp; Hardie's $343 example.</summary>
    ExistingRenewsNow = 4,
}
