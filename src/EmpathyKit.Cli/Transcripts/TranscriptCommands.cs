using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EmpathyKit.Cli.Transcripts;

/// <summary>
/// <c>empathykit transcripts read|list|export|erase|purge|verify|audit</c> and
/// <c>empathykit keys list|rotate|revoke|escrow|recover</c>: the operator's side of <see cref="ITranscriptManager"/>.
/// Every command records its actor in the audit log where the library does.
/// </summary>
internal static class TranscriptCommands
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command CreateTranscripts()
    {
        var connection = new VaultConnection();
        var tenant = new Option<string>("--tenant") { Description = "The tenant.", DefaultValueFactory = _ => TranscriptAddress.DefaultTenant, Recursive = true };
        var command = new Command("transcripts", "Read, list, export, erase, purge and verify encrypted transcripts, and read the audit log.");
        connection.AddTo(command);
        command.Options.Add(tenant);

        var subject = new Option<string>("--subject", "-s") { Description = "The data subject (the end user's id).", Required = true };
        var conversation = new Option<string>("--conversation", "-c") { Description = "The conversation id.", Required = true };

        var asJson = new Option<bool>("--json") { Description = "Write JSON instead of text." };
        var read = new Command("read", "Print one conversation (the read is audited).") { subject, conversation, asJson };
        read.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, "transcripts read", async (session, output, ct) =>
        {
            TranscriptAddress address = Address(parseResult.GetValue(tenant)!, parseResult.GetValue(subject)!, parseResult.GetValue(conversation)!);
            // Read around damaged records: what can be read is shown, and the damage is said (exit 1), never hidden.
            TranscriptHistory read = await session.Vault.ReadConversationAroundAsync(address, session.Actor, ct);
            IReadOnlyList<TranscriptEntry> entries = read.Entries;
            int result = VaultConnection.Ok;
            if (read.UnreadableRecords > 0)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"empathykit transcripts read: {read.UnreadableRecords} record(s) of this conversation could not be read (damaged or missing) and are left out; run 'empathykit transcripts verify'.");
                result = VaultConnection.ProblemsFound;
            }

            if (entries.Count == 0 && result == VaultConnection.Ok)
            {
                // Not the same as an empty success: the caller learns that nothing is kept under these ids.
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("empathykit transcripts read: no records for this subject and conversation (unknown ids, or erased or purged).");
                return VaultConnection.NotFound;
            }

            if (parseResult.GetValue(asJson))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(entries.Select(e => new { role = Name(e.Role), text = e.Text, createdAt = e.CreatedAt, risk = Name(e.Risk), categories = e.Categories.Select(Name) }), Json));
                return result;
            }

            foreach (TranscriptEntry entry in entries)
            {
                string risk = entry.Risk == RiskLevel.None ? string.Empty : $" [risk {Name(entry.Risk)}{(entry.Categories.Count > 0 ? ": " + string.Join(", ", entry.Categories.Select(Name)) : string.Empty)}]";
                await output.WriteLineAsync($"{Time(entry.CreatedAt)} {Name(entry.Role)}{risk}: {entry.Text}");
            }

            await output.WriteLineAsync($"({entries.Count} entries{(read.UnreadableRecords > 0 ? $", {read.UnreadableRecords} unreadable" : string.Empty)})");
            return result;
        }, cancellationToken));

        var list = new Command("list", "List a subject's conversations (the listing is audited).") { subject, asJson };
        list.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, "transcripts list", async (session, output, ct) =>
        {
            IReadOnlyList<TranscriptConversationInfo> conversations = await session.Vault.ListConversationsAsync(Id(parseResult.GetValue(tenant)!), Id(parseResult.GetValue(subject)!), session.Actor, ct);
            if (parseResult.GetValue(asJson))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(conversations.Select(c => new { conversation = c.ConversationId, records = c.Records, createdAt = c.CreatedAt, updatedAt = c.UpdatedAt }), Json));
                return VaultConnection.Ok;
            }

            await output.WriteLineAsync($"{"conversation",-40} {"records",8}  {"created",-20}  updated");
            foreach (TranscriptConversationInfo info in conversations)
            {
                await output.WriteLineAsync($"{info.ConversationId,-40} {info.Records,8}  {Time(info.CreatedAt),-20}  {Time(info.UpdatedAt)}");
            }

            await output.WriteLineAsync($"({conversations.Count} conversations)");
            return VaultConnection.Ok;
        }, cancellationToken));

        var exportOutput = new Option<FileInfo>("--output", "-o") { Description = "The file to write (created owner-only; never overwritten).", Required = true };
        var exportRecipient = new Option<FileInfo?>("--to-cert") { Description = "Encrypt the export to this RSA certificate (DER or PEM): CMS, RSA-OAEP-SHA256." };
        var export = new Command("export", "Export everything kept about a subject as JSON, optionally encrypted to a certificate (the export is audited).") { subject, exportOutput, exportRecipient };
        export.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, "transcripts export", async (session, output, ct) =>
        {
            FileInfo file = parseResult.GetValue(exportOutput)!;
            using X509Certificate2? recipient = parseResult.GetValue(exportRecipient) is { } certificate ? VaultConnection.LoadPublicCertificate(certificate, "--to-cert") : null;
            if (file.Exists)
            {
                throw new CliUsageException($"'{file.FullName}' already exists; it is not overwritten.");
            }

            byte[] data = await session.Vault.ExportSubjectAsync(Id(parseResult.GetValue(tenant)!), Id(parseResult.GetValue(subject)!), recipient, session.Actor, ct);
            int length = data.Length;
            await VaultConnection.WritePrivateFileAsync(file, data, ct);
            await output.WriteLineAsync($"Wrote {length:N0} bytes to {file.FullName}{(recipient is null ? " (plain JSON: keep it safe)" : " (CMS, encrypted to " + recipient.Subject + ")")}.");
            return VaultConnection.Ok;
        }, cancellationToken));

        var confirm = new Option<bool>("--yes") { Description = "Confirm an irreversible operation." };
        var erase = new Command("erase", "Erase a subject by crypto-shredding: the data key is destroyed, a tombstone and an erasure certificate are written. Irreversible.") { subject, confirm };
        erase.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, "transcripts erase", async (session, output, ct) =>
        {
            if (!parseResult.GetValue(confirm))
            {
                throw new CliUsageException("erasure is irreversible: add --yes to confirm.");
            }

            ErasureCertificate certificate = await session.Vault.EraseSubjectAsync(Id(parseResult.GetValue(tenant)!), Id(parseResult.GetValue(subject)!), session.Actor, ct);
            await output.WriteLineAsync(JsonSerializer.Serialize(certificate, Json));
            return VaultConnection.Ok;
        }, cancellationToken));

        var purge = new Command("purge", "Delete records whose retention period has ended (chains are rebased, the purge is audited).");
        purge.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, "transcripts purge", async (session, output, ct) =>
        {
            PurgeResult result = await session.Vault.PurgeExpiredAsync(ct);
            await output.WriteLineAsync($"Purged {result.Records} expired records from {result.Conversations} conversations.");
            return VaultConnection.Ok;
        }, cancellationToken));

        var verifySubject = new Option<string?>("--subject", "-s") { Description = "With --conversation: verify one conversation only." };
        var verifyConversation = new Option<string?>("--conversation", "-c") { Description = "With --subject: verify one conversation only." };
        var decrypt = new Option<bool>("--decrypt") { Description = "Also decrypt every record (checks each key commitment and tag; needs the keys)." };
        var verify = new Command("verify", "Verify the hash chains and checkpoints of every conversation (or one) and the audit log. Exit code 1 when a problem is found.") { verifySubject, verifyConversation, decrypt };
        verify.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, "transcripts verify", async (session, output, ct) =>
        {
            string? oneSubject = parseResult.GetValue(verifySubject);
            string? oneConversation = parseResult.GetValue(verifyConversation);
            if ((oneSubject is null) != (oneConversation is null))
            {
                throw new CliUsageException("give both --subject and --conversation to verify one conversation, or neither to verify all.");
            }

            TranscriptAddress? address = oneSubject is null ? null : Address(parseResult.GetValue(tenant)!, oneSubject, oneConversation!);
            IntegrityReport chains = await session.Vault.VerifyIntegrityAsync(address, parseResult.GetValue(decrypt), ct);
            IntegrityReport audit = await session.Vault.VerifyAuditLogAsync(ct);
            await output.WriteLineAsync($"Transcripts: {chains.ChainsChecked} conversations, {chains.RecordsChecked} records: {(chains.IsValid ? "intact" : chains.Problems.Count + " problems")}.");
            await output.WriteLineAsync($"Audit log: {audit.RecordsChecked} entries: {(audit.IsValid ? "intact" : "BROKEN")}.");
            foreach (IntegrityProblem problem in chains.Problems.Concat(audit.Problems))
            {
                await output.WriteLineAsync($"  {problem.Kind} in {problem.Scope} at {problem.Sequence}: {problem.Description}");
            }

            return chains.IsValid && audit.IsValid ? VaultConnection.Ok : VaultConnection.ProblemsFound;
        }, cancellationToken));

        var from = new Option<long>("--from") { Description = "The first audit entry to print.", DefaultValueFactory = _ => 0 };
        var max = new Option<int>("--max") { Description = "The most entries to print (1..100000).", DefaultValueFactory = _ => 100 };
        var audit = new Command("audit", "Print the audit log (no message content is ever in it; ids are pseudonyms).") { from, max, asJson };
        audit.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, "transcripts audit", async (session, output, ct) =>
        {
            long first = parseResult.GetValue(from);
            int most = parseResult.GetValue(max);
            if (first < 0 || most is < 1 or > 100_000)
            {
                throw new CliUsageException("--from must be 0 or more and --max between 1 and 100000.");
            }

            IReadOnlyList<AuditEntry> entries = await session.Vault.ReadAuditLogAsync(first, most, ct);
            if (parseResult.GetValue(asJson))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(entries.Select(e => new { sequence = e.Sequence, at = e.At, kind = e.Kind, actor = e.Actor, tenant = e.Tenant, subject = e.Subject, conversation = e.Conversation, detail = e.Detail, hash = Convert.ToHexStringLower(e.Hash.Span) }), Json));
                return VaultConnection.Ok;
            }

            foreach (AuditEntry entry in entries)
            {
                string who = entry.Actor is null ? string.Empty : $" by {entry.Actor}";
                string what = string.Join(' ', new[] { entry.Tenant, entry.Subject, entry.Conversation }.Where(s => s is not null));
                await output.WriteLineAsync($"{entry.Sequence,6} {Time(entry.At)} {entry.Kind}{who} {what} {entry.Detail}".TrimEnd());
            }

            await output.WriteLineAsync($"({entries.Count} entries from {first})");
            return VaultConnection.Ok;
        }, cancellationToken));

        command.Subcommands.Add(read);
        command.Subcommands.Add(list);
        command.Subcommands.Add(export);
        command.Subcommands.Add(erase);
        command.Subcommands.Add(purge);
        command.Subcommands.Add(verify);
        command.Subcommands.Add(audit);
        return command;
    }

    public static Command CreateKeys()
    {
        var connection = new VaultConnection();
        var command = new Command("keys", "Create the root key file; list, rotate, revoke, escrow and recover the transcript master keys.");
        connection.AddTo(command);

        var create = new Command("create", "Create a new root key file (a random 256-bit key, owner-only) at --key-file; an existing file is never overwritten.");
        create.SetAction(async (parseResult, cancellationToken) =>
        {
            TextWriter output = parseResult.InvocationConfiguration.Output;
            TextWriter error = parseResult.InvocationConfiguration.Error;
            if (parseResult.GetValue(connection.KeyFile) is not { } file)
            {
                await error.WriteLineAsync("empathykit keys create: give the file to create with --key-file PATH.");
                return VaultConnection.UsageError;
            }

            if (file.Exists)
            {
                await error.WriteLineAsync($"empathykit keys create: '{file.FullName}' already exists; it is not overwritten (a new key cannot read what the old one wrote).");
                return VaultConnection.UsageError;
            }

            try
            {
                KeyFileTranscriptKeyProvider.CreateKeyFile(file.FullName);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"empathykit keys create: could not create '{file.FullName}': {ex.Message}");
                return VaultConnection.Failed;
            }

            await output.WriteLineAsync($"Created the root key file {file.FullName} (owner-only). Keep it secret and back it up: without it the transcripts cannot be read. Use it with UseKeyFile(\"{file.FullName}\") or --key-file.");
            return VaultConnection.Ok;
        });

        var list = new Command("list", "List the master keys and their status (never their bytes).");
        list.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, "keys list", async (session, output, ct) =>
        {
            IReadOnlyList<MasterKeyInfo> keys = await session.Vault.ListKeysAsync(ct);
            await output.WriteLineAsync($"{"id",-36}  {"status",-9}  {"created",-20}  {"activates",-20}  {"expires",-20}  root");
            foreach (MasterKeyInfo key in keys)
            {
                await output.WriteLineAsync($"{key.Id,-36}  {key.Status,-9}  {Time(key.CreatedAt),-20}  {Time(key.ActivatesAt),-20}  {Time(key.ExpiresAt),-20}  {key.RootKeyId}");
            }

            return VaultConnection.Ok;
        }, cancellationToken));

        var rotate = new Command("rotate", "Create a new active master key, re-wrap every subject key under it, re-wrap keys under the current root, destroy retired keys.");
        rotate.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, "keys rotate", async (session, output, ct) =>
        {
            KeyRotationResult result = await session.Vault.RotateKeysAsync(ct);
            await output.WriteLineAsync($"Active master key {result.ActiveKeyId}; {result.SubjectKeysRewrapped} subject keys re-wrapped.");
            return VaultConnection.Ok;
        }, cancellationToken));

        var keyId = new Argument<string>("key-id") { Description = "The master key to revoke (see 'keys list')." };
        var confirm = new Option<bool>("--yes") { Description = "Confirm the revocation." };
        var revoke = new Command("revoke", "Revoke a master key (after suspected exposure): its subject keys move to the active key first.") { keyId, confirm };
        revoke.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, "keys revoke", async (session, output, ct) =>
        {
            if (!Guid.TryParse(parseResult.GetValue(keyId), out Guid id))
            {
                throw new CliUsageException("the key id is not a GUID (see 'empathykit keys list').");
            }

            if (!parseResult.GetValue(confirm))
            {
                throw new CliUsageException("revocation cannot be undone: add --yes to confirm.");
            }

            await session.Vault.RevokeKeyAsync(id, ct);
            await output.WriteLineAsync($"Revoked master key {id}.");
            return VaultConnection.Ok;
        }, cancellationToken));

        var escrowRecipient = new Option<FileInfo>("--to-cert") { Description = "The escrow RSA certificate (DER or PEM; its public key is enough).", Required = true };
        var escrowOutput = new Option<FileInfo>("--output", "-o") { Description = "The envelope file to write (created owner-only; never overwritten).", Required = true };
        var escrow = new Command("escrow", "Export the master and index keys to an escrow certificate (CMS). Keep the envelope offline.") { escrowRecipient, escrowOutput };
        escrow.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, "keys escrow", async (session, output, ct) =>
        {
            FileInfo file = parseResult.GetValue(escrowOutput)!;
            using X509Certificate2 recipient = VaultConnection.LoadPublicCertificate(parseResult.GetValue(escrowRecipient)!, "--to-cert");
            if (file.Exists)
            {
                throw new CliUsageException($"'{file.FullName}' already exists; it is not overwritten.");
            }

            byte[] envelope = await session.Vault.EscrowKeysAsync(recipient, ct);
            await VaultConnection.WritePrivateFileAsync(file, envelope, ct);
            await output.WriteLineAsync($"Escrowed the keys to {recipient.Subject} in {file.FullName}.");
            return VaultConnection.Ok;
        }, cancellationToken));

        var envelopeFile = new Option<FileInfo>("--envelope") { Description = "The escrow envelope written by 'keys escrow'.", Required = true };
        var escrowCertificate = new Option<FileInfo>("--escrow-cert") { Description = "The escrow certificate with its private key (PKCS#12).", Required = true };
        var escrowPassword = new Option<string?>("--escrow-cert-password-env") { Description = "The environment variable that holds the escrow certificate's password." };
        var recover = new Command("recover", "After the root key was lost or replaced: re-wrap the keys from an escrow envelope under the current root (each key is proved against the store first).") { envelopeFile, escrowCertificate, escrowPassword };
        recover.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, "keys recover", async (session, output, ct) =>
        {
            FileInfo file = parseResult.GetValue(envelopeFile)!;
            if (!file.Exists)
            {
                throw new CliUsageException($"the envelope '{file.FullName}' does not exist.");
            }

            using X509Certificate2 certificate = VaultConnection.LoadPrivateCertificate(parseResult.GetValue(escrowCertificate)!, parseResult.GetValue(escrowPassword), "--escrow-cert");
            byte[] envelope = await File.ReadAllBytesAsync(file.FullName, ct);
            KeyRecoveryResult result = await session.Vault.RecoverKeysAsync(envelope, certificate, session.Actor, ct);
            await output.WriteLineAsync($"Recovered {result.Recovered} keys; {result.AlreadyUsable} were already usable; {result.RecoveredRevoked} restored revoked (nothing to prove them against); {result.Unrecoverable} unrecoverable.");
            return result.Unrecoverable == 0 ? VaultConnection.Ok : VaultConnection.ProblemsFound;
        }, cancellationToken));

        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        command.Subcommands.Add(rotate);
        command.Subcommands.Add(revoke);
        command.Subcommands.Add(escrow);
        command.Subcommands.Add(recover);
        return command;
    }

    private static TranscriptAddress Address(string tenant, string subject, string conversation)
    {
        try
        {
            return new TranscriptAddress(tenant, subject, conversation);
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }
    }

    private static string Id(string value)
    {
        try
        {
            TranscriptAddress.ValidateId(value, "id");
            return value;
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
