/**
 * Which tool calls a chat answer makes: the scripted ones (if the request offers those
 * tools), or a forced one (tool_choice "required" or a named function) with arguments shaped
 * by the tool's JSON schema.
 */
import type { ScriptedToolCall } from '../state';
import type { ChatRequest } from './chat-prompt';
import { isRecord, randomId } from './context';

/**
 * Minimal arguments satisfying a JSON schema's required properties.
 * @param schema
 */
function sampleFor( schema: unknown ): unknown {
	if ( ! isRecord( schema ) ) {
		return {};
	}
	if ( Array.isArray( schema.enum ) && schema.enum.length > 0 ) {
		return schema.enum[ 0 ];
	}
	const type = Array.isArray( schema.type ) ? schema.type[ 0 ] : schema.type;
	switch ( type ) {
		case 'string':
			return 'simulated';
		case 'number':
		case 'integer':
			return typeof schema.minimum === 'number' ? schema.minimum : 1;
		case 'boolean':
			return false;
		case 'array':
			return [];
		case 'null':
			return null;
		default: {
			const out: Record< string, unknown > = {};
			const props = isRecord( schema.properties )
				? schema.properties
				: {};
			const required = Array.isArray( schema.required )
				? schema.required
				: [];
			for ( const key of required ) {
				if ( typeof key === 'string' ) {
					out[ key ] = sampleFor( props[ key ] );
				}
			}
			return out;
		}
	}
}

export interface ToolCallOut {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
}

export function decideToolCalls(
	req: ChatRequest,
	scripted: ScriptedToolCall[] | undefined,
	notes: string[]
): ToolCallOut[] {
	const tools = ( req.tools ?? [] ).filter(
		( t ) => t.type === 'function' && t.function
	);
	if ( tools.length === 0 || req.tool_choice === 'none' ) {
		if ( scripted?.length ) {
			notes.push(
				'scripted tool_calls ignored: the request offers no function tools (or tool_choice is "none")'
			);
		}
		return [];
	}
	const byName = new Map(
		tools.map( ( t ) => [ t.function?.name ?? '', t ] )
	);
	const make = ( name: string, args: unknown ): ToolCallOut => ( {
		id: randomId( 'call_', 12 ),
		type: 'function',
		function: {
			name,
			arguments: typeof args === 'string' ? args : JSON.stringify( args ),
		},
	} );
	if ( scripted?.length ) {
		const out: ToolCallOut[] = [];
		for ( const call of scripted ) {
			const tool = byName.get( call.name );
			if ( ! tool ) {
				notes.push(
					`scripted tool call "${ call.name }" ignored: the request has no such tool`
				);
				continue;
			}
			out.push(
				make(
					call.name,
					call.arguments ?? sampleFor( tool.function?.parameters )
				)
			);
		}
		return out;
	}
	// Without a script the model answers in text, unless the request forces a tool call.
	const choice = req.tool_choice;
	let forced: string | undefined;
	if ( isRecord( choice ) && choice.type === 'function' ) {
		forced = choice.function?.name;
	} else if ( choice === 'required' ) {
		forced = tools[ 0 ]?.function?.name;
	}
	if ( forced === undefined ) {
		return [];
	}
	const tool = byName.get( forced );
	return tool
		? [ make( forced, sampleFor( tool.function?.parameters ) ) ]
		: [];
}
