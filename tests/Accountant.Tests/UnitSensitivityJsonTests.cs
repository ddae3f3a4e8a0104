using System.Text.Json;
using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Events;

namespace Accounting.Accountant.Tests;

// Unit sensitivities are read by a hand-written converter (a charge lists up to a million); it must take and give
// what the serialiser did for the record: the API's member names in any case and order, and exactly that form out.
// Bad entries are BadInputTests' cases, answered through the service.
public class UnitSensitivityJsonTests
{
    [Fact]
    public void Entries_are_read_with_members_in_any_order_and_case_and_written_as_the_API_names_them()
    {
        var request = JsonSerializer.Deserialize<ChargeRequest>(
            """{"sensitivities": [{"unit": "a", "sensitivity": 0.25}, {"SENSITIVITY": 1e-3, "Unit": "b/c"}, null]}""", EventJson.Options)!;

        Assert.Equal<UnitSensitivity?>([new UnitSensitivity("a", 0.25), new UnitSensitivity("b/c", 0.001), null], request.Sensitivities!);
        Assert.Equal("""[{"unit":"a","sensitivity":0.25},{"unit":"b/c","sensitivity":0.001}]""",
            JsonSerializer.Serialize(request.Sensitivities!.Take(2), EventJson.Options));
    }
}
