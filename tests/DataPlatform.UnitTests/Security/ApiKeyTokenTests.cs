using DataPlatform.Api.Security;

namespace DataPlatform.UnitTests.Security;

public sealed class ApiKeyTokenTests
{
    [Fact]
    public void A_new_token_parses_back_to_its_key_and_matches_only_its_own_secret()
    {
        var (key, token) = ApiKeyToken.NewKey("ops", ApiRole.Admin, DateTimeOffset.UnixEpoch);
        var (other, _) = ApiKeyToken.NewKey("ops", ApiRole.Admin, DateTimeOffset.UnixEpoch);

        Assert.True(ApiKeyToken.TryParse(token, out var id, out var secret));
        Assert.Equal(key.Id, id);
        Assert.True(ApiKeyToken.Matches(key, secret));
        Assert.False(ApiKeyToken.Matches(other, secret));
        Assert.False(ApiKeyToken.Matches(key, secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A')));
        Assert.DoesNotContain(secret, key.SecretHash, StringComparison.Ordinal);
        Assert.NotEqual(key.Id, other.Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dp_")]
    [InlineData("dp__secret")]
    [InlineData("dp_id_")]
    [InlineData("bearer dp_id_secret")]
    [InlineData("xx_id_secret")]
    public void Text_without_the_shape_of_a_token_is_not_one(string? text) =>
        Assert.False(ApiKeyToken.TryParse(text, out _, out _));
}

public sealed class ListeningAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://127.0.0.1:0;http://localhost:5081", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://10.0.0.4:5080", false)]
    [InlineData("http://127.0.0.1:5080;http://0.0.0.0:5081", false)]
    [InlineData(null, true)]
    public void Only_addresses_that_are_all_loopback_keep_the_silo_to_this_machine(string? urls, bool loopbackOnly) =>
        Assert.Equal(loopbackOnly, new ListeningAddresses(urls).LoopbackOnly);
}
