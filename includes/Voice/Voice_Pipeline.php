<?php
/**
 * What a voice pipeline does.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

defined( 'ABSPATH' ) || exit;

/**
 * Answers a voice turn as one JSON document or as events.
 *
 * Events, each sent through $emit (which returns false when the visitor is gone):
 * `transcript {text}` (the visitor's words), `delta {text}` (the reply's text), `audio {format:
 * "pcm16", sample_rate, data}` (base64 pieces of the spoken reply; the first also carries
 * `label`), `audio_error {code, message}` (the spoken reply failed, the text stands). The
 * controller adds `done` or `error`.
 *
 * A question answered by the FAQ cache (see Voice_Faq) says so in its result: `source: "faq"`
 * and `faq`, the served answer (curated or cached, for the usage log). The controller should
 * pass `source` on in the JSON answer and in the `done` event.
 *
 * Metering: a turn's optional `on_usage` callable gets each provider call's Usage_Entry as
 * soon as the call returns (transcription, chat, speech, also speech made for the cache, and
 * calls made before a later failure); the result's `usage` lists the same entries. Speech
 * entries carry `chars` and `seconds` (of audio received); transcription entries `seconds` (of
 * the recording).
 *
 * @phpstan-import-type Voice_Turn from Voice_Request_Builder
 * @phpstan-type Usage_Entry array{endpoint: string, model: string, usage: array<string, mixed>|null, seconds?: float, chars?: int}
 * @phpstan-type Voice_Answer array{transcript: string, reply: string, finish_reason: string, audio: array{format: string, data: string, label: string}|null, audio_error?: array{code: string, message: string}, usage: list<Usage_Entry>, source?: 'faq', faq?: \VoiceVisionChat\Cache\Faq_Answer}
 * @phpstan-type Voice_Stream_Result array{finish_reason: string, aborted: bool, transcript: string, reply: string, audio_bytes: int, usage: list<Usage_Entry>, source?: 'faq', faq?: \VoiceVisionChat\Cache\Faq_Answer}
 */
interface Voice_Pipeline {

	/**
	 * The pipeline's name: native or chained.
	 */
	public function name(): string;

	/**
	 * The whole answer.
	 *
	 * @param array $turn The voice turn.
	 * @return array
	 * @phpstan-param Voice_Turn $turn
	 * @phpstan-return Voice_Answer
	 * @throws \VoiceVisionChat\Upstream\Upstream_Error When the provider fails.
	 * @throws Voice_Error When the turn cannot be answered.
	 */
	public function answer( array $turn ): array;

	/**
	 * The answer as events, sent while it is produced.
	 *
	 * @param array    $turn The voice turn.
	 * @param callable $emit Sends one event; false when the visitor is gone.
	 * @return array
	 * @phpstan-param Voice_Turn $turn
	 * @phpstan-param callable(string, array<string, mixed>): bool $emit
	 * @phpstan-return Voice_Stream_Result
	 * @throws \VoiceVisionChat\Upstream\Upstream_Error When the provider fails.
	 * @throws Voice_Error When the turn cannot be answered.
	 */
	public function stream( array $turn, callable $emit ): array;
}
