using System.Collections;
using System.Text;
using QRCoder;

namespace PosTerminal.Qr;

/// <summary>
/// Draws a QR code with Unicode half blocks: two rows of modules per line of text, so it stays square and small
/// enough to scan from a terminal.
/// </summary>
/// <remarks>
/// Terminals are mostly light text on a dark background, so the <em>light</em> modules (and the quiet zone around
/// the code) are drawn with blocks and the dark modules are left empty, as <c>qrencode -t UTF8</c> does: on screen
/// the code reads dark-on-light, the way phone scanners expect.
/// </remarks>
internal static class QrCodeRenderer
{
    private const char Both = '█';
    private const char Upper = '▀';
    private const char Lower = '▄';
    private const char Neither = ' ';

    /// <summary>Encodes <paramref name="content"/> and draws it.</summary>
    /// <param name="content">What the QR code holds: the gateway's <c>render_qrcode</c> URL.</param>
    /// <returns>The lines of the drawing, quiet zone included.</returns>
    public static IReadOnlyList<string> Render(string content)
    {
        ArgumentException.ThrowIfNullOrEmpty(content);
        using var generator = new QRCodeGenerator();
        using QRCodeData data = generator.CreateQrCode(content, QRCodeGenerator.ECCLevel.M);
        return Render(data.ModuleMatrix);
    }

    /// <summary>Draws a module matrix (<see langword="true"/> = dark), which already includes its quiet zone.</summary>
    public static IReadOnlyList<string> Render(IReadOnlyList<BitArray> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        int size = modules.Count;
        var lines = new List<string>((size + 1) / 2);
        var line = new StringBuilder(size);
        for (int y = 0; y < size; y += 2)
        {
            line.Clear();
            for (int x = 0; x < size; x++)
            {
                bool upperLight = !modules[y][x];
                bool lowerLight = y + 1 >= size || !modules[y + 1][x]; // Past the last row: background.
                line.Append((upperLight, lowerLight) switch
                {
                    (true, true) => Both,
                    (true, false) => Upper,
                    (false, true) => Lower,
                    _ => Neither,
                });
            }

            lines.Add(line.ToString());
        }

        return lines;
    }
}
