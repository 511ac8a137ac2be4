using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// Thrown when a customer-base model is asked to fit data that holds nothing to fit: no customers at all
/// (<c>CRM-MODEL-001</c>), or no customer with the transactions the likelihood is built from (<c>CRM-MODEL-002</c>,
/// e.g. Gamma-Gamma without repeat buyers). Catch it where the data comes from a query that can come back empty; data
/// that is present but uninformative (e.g. nobody bought twice) does not throw: the fit reports
/// <see cref="ModelFit{TModel}.Converged"/> = false with its <see cref="ModelFit{TModel}.Issues"/>.
/// </summary>
public sealed class ModelDataException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">One of the <c>CRM-MODEL-*</c> codes of <see cref="CrmErrorCodes"/>.</param>
    /// <param name="message">What is missing, naming the model; never personal data.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ModelDataException(string errorCode, string message)
        : base(errorCode, message)
    {
    }
}
