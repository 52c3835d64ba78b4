namespace PosTerminal.Cli;

/// <summary>Asks for the amount and the description, offering the defaults (Enter keeps them).</summary>
internal static class Prompter
{
    public static PosOptions Ask(PosOptions options, TextReader input, TextWriter output)
    {
        decimal amount = options.Amount;
        while (true)
        {
            output.Write($"Amount in HKD [{Money.Format(options.Amount)}]: ");
            string? line = input.ReadLine();
            if (string.IsNullOrWhiteSpace(line))
            {
                break; // Enter, or end of input: keep the default.
            }

            if (PosArguments.TryParseAmount(line, out amount, out string? error))
            {
                break;
            }

            output.WriteLine(error);
            amount = options.Amount;
        }

        output.Write($"Description [{options.Description}]: ");
        string? description = input.ReadLine();
        return options with
        {
            Amount = amount,
            Description = string.IsNullOrWhiteSpace(description) ? options.Description : description.Trim(),
        };
    }
}
