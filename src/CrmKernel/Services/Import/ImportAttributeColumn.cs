using CrmKernel.Customers;
using CrmKernel.Diagnostics;

namespace CrmKernel.Services.Import;

/// <summary>A column of an import source stored as a typed custom attribute of the customer (see <see cref="ImportMapping.AttributeColumns"/>).</summary>
public sealed class ImportAttributeColumn
{
    /// <summary>Creates the column mapping.</summary>
    /// <param name="column">The source column.</param>
    /// <param name="attributeName">The custom attribute's name on the customer.</param>
    /// <param name="type">The attribute's type; cells are read by <see cref="CustomAttributeValue.Parse"/>.</param>
    /// <exception cref="ArgumentNullException">A name is null.</exception>
    /// <exception cref="ArgumentException">A name is blank or the type undefined.</exception>
    public ImportAttributeColumn(string column, string attributeName, CustomAttributeType type)
    {
        Column = Preconditions.NotBlank(column);
        AttributeName = Preconditions.NotBlank(attributeName);
        Type = Preconditions.Defined(type);
    }

    /// <summary>The source column.</summary>
    public string Column { get; }

    /// <summary>The custom attribute's name.</summary>
    public string AttributeName { get; }

    /// <summary>The attribute's type.</summary>
    public CustomAttributeType Type { get; }
}
