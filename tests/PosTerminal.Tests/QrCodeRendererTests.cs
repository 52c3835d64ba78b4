using PosTerminal.Qr;
using QRCoder;

namespace PosTerminal.Tests;

public sealed class QrCodeRendererTests
{
    [Fact]
    public void Each_character_is_two_modules_and_the_drawing_reads_back_to_the_qr_code()
    {
        const string Url = "http://127.0.0.1:41234/simulator/pay/C179563660714500000001";
        using var generator = new QRCodeGenerator();
        using QRCodeData data = generator.CreateQrCode(Url, QRCodeGenerator.ECCLevel.M);
        int size = data.ModuleMatrix.Count;

        IReadOnlyList<string> lines = QrCodeRenderer.Render(Url);

        Assert.Equal((size + 1) / 2, lines.Count);
        Assert.All(lines, line => Assert.Equal(size, line.Length));
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                char cell = lines[y / 2][x];
                bool light = y % 2 == 0 ? cell is '█' or '▀' : cell is '█' or '▄';
                Assert.Equal(!data.ModuleMatrix[y][x], light); // Light modules are drawn; dark ones are left empty.
            }
        }
    }

    [Fact]
    public void The_quiet_zone_is_drawn_all_around()
    {
        IReadOnlyList<string> lines = QrCodeRenderer.Render("https://example.com/pay/1");

        Assert.All(lines[0], c => Assert.Equal('█', c));
        Assert.All(lines[^1], c => Assert.Equal('█', c));
        Assert.All(lines, line => Assert.StartsWith("████", line, StringComparison.Ordinal));
    }
}
