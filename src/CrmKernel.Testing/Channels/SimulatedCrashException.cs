namespace CrmKernel.Testing.Channels;

/// <summary>
/// Thrown by the kit's fault-injecting stores (such as <see cref="CrashingTouchpointStore"/>) at the point where a simulated
/// process dies. Use it in a crash test: expect it from the call that "crashed", then carry on with a fresh dispatcher or
/// relay over the same stores, as a restarted process would.
/// </summary>
public sealed class SimulatedCrashException : Exception
{
    /// <summary>Creates the exception with the message "simulated crash".</summary>
    public SimulatedCrashException()
        : base("simulated crash")
    {
    }
}
