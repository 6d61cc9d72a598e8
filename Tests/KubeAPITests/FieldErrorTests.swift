import KubeAPI
import Testing

@Suite("FieldError prints like the API server")
struct FieldErrorTests {
    static let max = FieldPath("spec").child("nodes").child("max")

    @Test(arguments: [
        (FieldError.invalid(max, .int(0), "must be greater than or equal to spec.nodes.min (1)"),
         "spec.nodes.max: Invalid value: 0: must be greater than or equal to spec.nodes.min (1)"),
        (FieldError.required(FieldPath("spec").child("target").child("name")),
         "spec.target.name: Required value"),
        (FieldError.required(FieldPath("metadata").child("name"), "name or generateName is required"),
         "metadata.name: Required value: name or generateName is required"),
        (FieldError.notSupported(FieldPath("spec").child("mode"), .string("Foo"), supported: ["Active", "ForecastOnly"]),
         #"spec.mode: Unsupported value: "Foo": supported values: "Active", "ForecastOnly""#),
        (FieldError.duplicate(FieldPath("spec").child("schedules").index(1).child("name"), .string("nightly")),
         #"spec.schedules[1].name: Duplicate value: "nightly""#),
        (FieldError.forbidden(FieldPath("spec").child("x"), "may not be set"), "spec.x: Forbidden: may not be set"),
        (FieldError.invalid(FieldPath("spec").key("nvidia.com/gpu"), .double(0.5), "bad"),
         "spec[nvidia.com/gpu]: Invalid value: 0.5: bad"),
        (FieldError.invalid(FieldPath("a"), .string("say \"hi\"\n"), "quoted"), #"a: Invalid value: "say \"hi\"\n": quoted"#),
    ])
    func printsAsTheAPIServerDoes(error: FieldError, expected: String) {
        #expect(error.description == expected)
    }

    @Test func convertsToStatusCause() {
        let cause = FieldError.invalid(Self.max, .int(0), "too small").statusCause
        #expect(cause == StatusCause(reason: "FieldValueInvalid", message: "Invalid value: 0: too small", field: "spec.nodes.max"))
    }
}
