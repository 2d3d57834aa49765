using System.Text.Json;
using DataPlatform.Api.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataPlatform.UnitTests.Api;

public sealed class ProblemExceptionHandlerTests
{
    private readonly List<ProblemDetails> _written = [];

    private async Task<(int Status, ProblemDetails Problem)> HandleAsync(Exception exception, string? contentType = null)
    {
        var handler = new ProblemExceptionHandler(new CapturingProblems(_written), NullLogger<ProblemExceptionHandler>.Instance);
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        Assert.True(await handler.TryHandleAsync(context, exception, default));
        return (context.Response.StatusCode, Assert.Single(_written));
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_that_names_no_type_file_or_stack()
    {
        var (status, problem) = await HandleAsync(new InvalidOperationException("/srv/data/lake broke in DataPlatform.Lake.Sql.Thing"));

        Assert.Equal(500, status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        var text = JsonSerializer.Serialize(problem);
        Assert.DoesNotContain("/srv", text, StringComparison.Ordinal);
        Assert.DoesNotContain("DataPlatform", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_that_says_where()
    {
        var json = new JsonException("'s' is invalid", "$.sql", 0, 9);
        var (status, problem) = await HandleAsync(new BadHttpRequestException("Failed to read parameter \"QueryRequest request\"", 400, json));

        Assert.Equal(400, status);
        Assert.Equal("The request body is not JSON this endpoint reads: look at $.sql, line 1, byte 10.", problem.Detail);
    }

    [Fact]
    public async Task An_unknown_charset_is_a_415()
    {
        var unknown = new InvalidOperationException("Unable to read", new ArgumentException("'bogus' is not a supported encoding name."));
        var (status, problem) = await HandleAsync(unknown, "application/json; charset=bogus");

        Assert.Equal(415, status);
        Assert.Contains("charset=utf-8", problem.Detail, StringComparison.Ordinal);
    }

    private sealed class CapturingProblems(List<ProblemDetails> written) : IProblemDetailsService
    {
        public ValueTask WriteAsync(ProblemDetailsContext context)
        {
            written.Add(context.ProblemDetails);
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> TryWriteAsync(ProblemDetailsContext context)
        {
            written.Add(context.ProblemDetails);
            return ValueTask.FromResult(true);
        }
    }
}
