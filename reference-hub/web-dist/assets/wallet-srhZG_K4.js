const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/shared-CKc3Kxxz.js","assets/shared-a6348mpB.css","assets/jsQR-DTXHP3BW.js","assets/_commonjsHelpers-CqkleIqs.js"])))=>i.map(i=>d[i]);
import{m as kn,_ as sn,d as v,h as Q,t as c,a as p,F,M as H,e as O,T as Se,s as lt,A as En,L as an,R as Cn,r as qn,u as Tn,O as Sn}from"./shared-CKc3Kxxz.js";import{g as Rn}from"./_commonjsHelpers-CqkleIqs.js";class ue{static __wrap(e){const n=Object.create(ue.prototype);return n.__wbg_ptr=e,$t.register(n,n.__wbg_ptr,n),n}__destroy_into_raw(){const e=this.__wbg_ptr;return this.__wbg_ptr=0,$t.unregister(this),e}free(){const e=this.__destroy_into_raw();u.__wbg_eventstream_free(e,0)}close(){u.eventstream_close(this.__wbg_ptr)}dropConnection(){u.eventstream_dropConnection(this.__wbg_ptr)}next(){return u.eventstream_next(this.__wbg_ptr)}get position(){return u.eventstream_position(this.__wbg_ptr)}return(){return u.eventstream_return(this.__wbg_ptr)}}Symbol.dispose&&(ue.prototype[Symbol.dispose]=ue.prototype.free);class de{static __wrap(e){const n=Object.create(de.prototype);return n.__wbg_ptr=e,vt.register(n,n.__wbg_ptr,n),n}__destroy_into_raw(){const e=this.__wbg_ptr;return this.__wbg_ptr=0,vt.unregister(this),e}free(){const e=this.__destroy_into_raw();u.__wbg_hubclient_free(e,0)}abort(e,n){let t,i,o,s;try{t=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),i=L,o=N(n,u.__wbindgen_malloc,u.__wbindgen_realloc),s=L}catch(l){throw o&&u.__wbindgen_free(o,s*1,1),t&&u.__wbindgen_free(t,i*1,1),l}return u.hubclient_abort(this.__wbg_ptr,t,i,o,s)}balance(){return u.hubclient_balance(this.__wbg_ptr)}capacity(e,n,t){let i,o,s,a,l,_;try{i=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),o=L,s=N(n,u.__wbindgen_malloc,u.__wbindgen_realloc),a=L,l=x(t)?0:N(t,u.__wbindgen_malloc,u.__wbindgen_realloc),_=L}catch(g){throw l&&u.__wbindgen_free(l,_*1,1),s&&u.__wbindgen_free(s,a*1,1),i&&u.__wbindgen_free(i,o*1,1),g}return u.hubclient_capacity(this.__wbg_ptr,i,o,s,a,l,_)}clearingProposals(){return u.hubclient_clearingProposals(this.__wbg_ptr)}clearings(){return u.hubclient_clearings(this.__wbg_ptr)}closeTrustLine(e,n){let t,i,o,s;try{t=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),i=L,o=N(n,u.__wbindgen_malloc,u.__wbindgen_realloc),s=L}catch(l){throw o&&u.__wbindgen_free(o,s*1,1),t&&u.__wbindgen_free(t,i*1,1),l}return u.hubclient_closeTrustLine(this.__wbg_ptr,t,i,o,s)}commit(e){const n=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),t=L;return u.hubclient_commit(this.__wbg_ptr,n,t)}static connect(e,n,t){cn(n,V);const i=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),o=L;return u.hubclient_connect(i,o,n.__wbg_ptr,x(t)?0:W(t))}consent(e,n){return u.hubclient_consent(this.__wbg_ptr,e,n)}debts(e){const n=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),t=L;return u.hubclient_debts(this.__wbg_ptr,n,t)}equivalents(){return u.hubclient_equivalents(this.__wbg_ptr)}events(e){const n=u.hubclient_events(this.__wbg_ptr,!x(e),x(e)?0:e);return ue.__wrap(n)}historyPage(e,n){var t=x(n)?0:N(n,u.__wbindgen_malloc,u.__wbindgen_realloc),i=L;return u.hubclient_historyPage(this.__wbg_ptr,x(e)?0:W(e),t,i)}hold(e,n){return u.hubclient_hold(this.__wbg_ptr,e,n)}get hubInfo(){return u.hubclient_hubInfo(this.__wbg_ptr)}get hubPid(){let e,n;try{const t=u.hubclient_hubPid(this.__wbg_ptr);return e=t[0],n=t[1],j(t[0],t[1])}finally{u.__wbindgen_free(e,n,1)}}login(){return u.hubclient_login(this.__wbg_ptr)}network(e,n){const t=+(x(n)?16777215:n),i=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),o=L;return u.hubclient_network(this.__wbg_ptr,i,o,t)}participant(e){const n=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),t=L;return u.hubclient_participant(this.__wbg_ptr,n,t)}payInvoice(e){return u.hubclient_payInvoice(this.__wbg_ptr,e)}pay(e){return u.hubclient_pay(this.__wbg_ptr,e)}payment(e){const n=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),t=L;return u.hubclient_payment(this.__wbg_ptr,n,t)}get pid(){let e,n;try{const t=u.hubclient_pid(this.__wbg_ptr);return e=t[0],n=t[1],j(t[0],t[1])}finally{u.__wbindgen_free(e,n,1)}}profile(){return u.hubclient_profile(this.__wbg_ptr)}register(e,n,t){const i=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),o=L;return u.hubclient_register(this.__wbg_ptr,i,o,n,x(t)?0:W(t))}searchParticipants(e,n){const t=+(x(n)?Number.MAX_SAFE_INTEGER:n>>>0),i=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),o=L;return u.hubclient_searchParticipants(this.__wbg_ptr,i,o,t)}setTrustLine(e,n,t,i){let o,s,a,l,_,d;try{o=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),s=L,a=N(n,u.__wbindgen_malloc,u.__wbindgen_realloc),l=L,_=N(t,u.__wbindgen_malloc,u.__wbindgen_realloc),d=L}catch(h){throw _&&u.__wbindgen_free(_,d*1,1),a&&u.__wbindgen_free(a,l*1,1),o&&u.__wbindgen_free(o,s*1,1),h}return u.hubclient_setTrustLine(this.__wbg_ptr,o,s,a,l,_,d,x(i)?0:W(i))}signPayment(e){let n,t;try{const s=u.hubclient_signPayment(this.__wbg_ptr,e);var i=s[0],o=s[1];if(s[3])throw i=0,o=0,J(s[2]);return n=i,t=o,j(i,o)}finally{u.__wbindgen_free(n,t,1)}}submitPayment(e){const n=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),t=L;return u.hubclient_submitPayment(this.__wbg_ptr,n,t)}trustLine(e){const n=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),t=L;return u.hubclient_trustLine(this.__wbg_ptr,n,t)}trustLinesPage(e,n){var t=x(n)?0:N(n,u.__wbindgen_malloc,u.__wbindgen_realloc),i=L;return u.hubclient_trustLinesPage(this.__wbg_ptr,x(e)?0:W(e),t,i)}trustLines(e){return u.hubclient_trustLines(this.__wbg_ptr,x(e)?0:W(e))}updateProfile(e,n){var t=x(e)?0:N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),i=L;return u.hubclient_updateProfile(this.__wbg_ptr,t,i,x(n)?0:W(n))}}Symbol.dispose&&(de.prototype[Symbol.dispose]=de.prototype.free);class V{static __wrap(e){const n=Object.create(V.prototype);return n.__wbg_ptr=e,kt.register(n,n.__wbg_ptr,n),n}__destroy_into_raw(){const e=this.__wbg_ptr;return this.__wbg_ptr=0,kt.unregister(this),e}free(){const e=this.__destroy_into_raw();u.__wbg_identity_free(e,0)}static fromKeyFile(e,n){let t,i,o,s;try{t=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),i=L,o=N(n,u.__wbindgen_malloc,u.__wbindgen_realloc),s=L}catch(l){throw o&&u.__wbindgen_free(o,s*1,1),t&&u.__wbindgen_free(t,i*1,1),l}const a=u.identity_fromKeyFile(t,i,o,s);if(a[2])throw J(a[1]);return V.__wrap(a[0])}static fromMnemonic(e){const n=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),t=L,i=u.identity_fromMnemonic(n,t);if(i[2])throw J(i[1]);return V.__wrap(i[0])}static fromSeedHex(e){const n=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),t=L,i=u.identity_fromSeedHex(n,t);if(i[2])throw J(i[1]);return V.__wrap(i[0])}static generate(){const e=u.identity_generate();return V.__wrap(e)}mnemonic(){let e,n;try{const t=u.identity_mnemonic(this.__wbg_ptr);return e=t[0],n=t[1],j(t[0],t[1])}finally{u.__wbindgen_free(e,n,1)}}get pid(){let e,n;try{const t=u.identity_pid(this.__wbg_ptr);return e=t[0],n=t[1],j(t[0],t[1])}finally{u.__wbindgen_free(e,n,1)}}get publicKey(){let e,n;try{const t=u.identity_publicKey(this.__wbg_ptr);return e=t[0],n=t[1],j(t[0],t[1])}finally{u.__wbindgen_free(e,n,1)}}sign(e){let n,t;try{const i=qt(e,u.__wbindgen_malloc),o=L,s=u.identity_sign(this.__wbg_ptr,i,o);return n=s[0],t=s[1],j(s[0],s[1])}finally{u.__wbindgen_free(n,t,1)}}toKeyFile(e){let n,t;try{const s=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),a=L,l=u.identity_toKeyFile(this.__wbg_ptr,s,a);var i=l[0],o=l[1];if(l[3])throw i=0,o=0,J(l[2]);return n=i,t=o,j(i,o)}finally{u.__wbindgen_free(n,t,1)}}static verify(e,n,t){let i,o,s,a,l,_;try{i=N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),o=L,s=qt(n,u.__wbindgen_malloc),a=L,l=N(t,u.__wbindgen_malloc,u.__wbindgen_realloc),_=L}catch(g){throw l&&u.__wbindgen_free(l,_*1,1),s&&u.__wbindgen_free(s,a*1,1),i&&u.__wbindgen_free(i,o*1,1),g}const d=u.identity_verify(i,o,s,a,l,_);if(d[2])throw J(d[1]);return d[0]!==0}}Symbol.dispose&&(V.prototype[Symbol.dispose]=V.prototype.free);function ke(r,e){let n,t;try{const s=+e,a=N(r,u.__wbindgen_malloc,u.__wbindgen_realloc),l=L,_=u.parseAmount(a,l,s);var i=_[0],o=_[1];if(_[3])throw i=0,o=0,J(_[2]);return n=i,t=o,j(i,o)}finally{u.__wbindgen_free(n,t,1)}}function Bn(r){let e,n;try{const o=N(r,u.__wbindgen_malloc,u.__wbindgen_realloc),s=L,a=u.parsePid(o,s);var t=a[0],i=a[1];if(a[3])throw t=0,i=0,J(a[2]);return e=t,n=i,j(t,i)}finally{u.__wbindgen_free(e,n,1)}}function wt(r,e,n){let t,i,o,s,a,l;try{t=N(r,u.__wbindgen_malloc,u.__wbindgen_realloc),i=L,o=x(e)?0:N(e,u.__wbindgen_malloc,u.__wbindgen_realloc),s=L,a=x(n)?0:N(n,u.__wbindgen_malloc,u.__wbindgen_realloc),l=L}catch(d){throw a&&u.__wbindgen_free(a,l*1,1),o&&u.__wbindgen_free(o,s*1,1),t&&u.__wbindgen_free(t,i*1,1),d}const _=u.readInvoice(t,i,o,s,a,l);if(_[2])throw J(_[1]);return J(_[0])}function mt(r,e){cn(r,V);const n=u.signInvoice(r.__wbg_ptr,e);if(n[2])throw J(n[1]);return J(n[0])}function In(){return{__proto__:null,"./geo_wasm_bg.js":{__proto__:null,__wbg___wbindgen_is_function_741ff2bb612836f5:function(e){return typeof e=="function"},__wbg___wbindgen_is_null_c22311b1cc228e3a:function(e){return e===null},__wbg___wbindgen_is_object_8b968c3ab8e96595:function(e){const n=e;return typeof n=="object"&&n!==null},__wbg___wbindgen_is_string_fc456fee5d3317de:function(e){return typeof e=="string"},__wbg___wbindgen_is_undefined_be5b34249ff1fc15:function(e){return e===void 0},__wbg___wbindgen_number_get_934b640d0889af78:function(e,n){const t=n,i=typeof t=="number"?t:void 0;me().setFloat64((e>>>0)+8,x(i)?0:i,!0),me().setInt32((e>>>0)+0,!x(i),!0)},__wbg___wbindgen_string_get_7ce8eee7fd327545:function(e,n){const t=n,i=typeof t=="string"?t:void 0;var o=x(i)?0:N(i,u.__wbindgen_malloc,u.__wbindgen_realloc),s=L;me().setInt32((e>>>0)+4,s,!0),me().setInt32((e>>>0)+0,o,!0)},__wbg___wbindgen_throw_4c88d8bf264fd984:function(e,n){throw new Error(j(e,n))},__wbg__wbg_cb_unref_09736879a3f67559:function(e){e._wbg_cb_unref()},__wbg_abort_6318b3b6a6cea89f:function(e){e.abort()},__wbg_call_40b008ba32f73991:function(){return G(function(e,n){return e.call(n)},arguments)},__wbg_call_a410eb4b59ed5965:function(){return G(function(e,n,t){return e.call(n,t)},arguments)},__wbg_clearTimeout_311a36965f7cb207:function(e){clearTimeout(e)},__wbg_close_703b0a7d8afcd0ba:function(e){e.close()},__wbg_crypto_23f565a907d30078:function(e){return e.crypto},__wbg_deleteProperty_3ad7a085da623822:function(){return G(function(e,n){return Reflect.deleteProperty(e,n)},arguments)},__wbg_fetch_a3fffec815a91fd7:function(e,n,t){return fetch(j(e,n),t)},__wbg_from_eac91875c8a5ffa4:function(e){return Array.from(e)},__wbg_getRandomValues_d2908e0b99612b91:function(){return G(function(e,n){e.getRandomValues(n)},arguments)},__wbg_get_2080c49015e35254:function(){return G(function(e,n){return Reflect.get(e,n)},arguments)},__wbg_get_unchecked_e6325ad374eff861:function(e,n){return e[n>>>0]},__wbg_hubclient_new:function(e){return de.__wrap(e)},__wbg_instanceof_Promise_59148c6049d0e3a0:function(e){let n;try{n=e instanceof Promise}catch{n=!1}return n},__wbg_length_186163212ffe79c3:function(e){return e.length},__wbg_length_b03a0fabb109b1e9:function(e){return e.length},__wbg_makeError_0b043b063cf87276:function(e,n,t,i,o,s,a,l){let _;return a!==0&&(_=j(a,l),u.__wbindgen_free(a,l*1,1)),kn(j(e,n),j(t,i),o!==0,s===16777215?void 0:s,_)},__wbg_msCrypto_d5f06fad6bf1409b:function(e){return e.msCrypto},__wbg_new_0f5cd2e5be627dfe:function(){return new AbortController},__wbg_new_37eb45aaf5eeb820:function(){return new Array},__wbg_new_ba40181b3f24ac80:function(e,n){try{var t={a:e,b:n},i=(s,a)=>{const l=t.a;t.a=0;try{return yt(l,t.b,s,a)}finally{t.a=l}};return new Promise(i)}finally{t.a=0}},__wbg_new_c831fb376c23c7a9:function(){return G(function(e,n,t){return new WebSocket(j(e,n),t)},arguments)},__wbg_new_cd4348290afae586:function(){return new Object},__wbg_new_typed_e09da9dae6ee5935:function(e,n){try{var t={a:e,b:n},i=(s,a)=>{const l=t.a;t.a=0;try{return yt(l,t.b,s,a)}finally{t.a=l}};return new Promise(i)}finally{t.a=0}},__wbg_new_with_length_01b143a7e5dd5a3e:function(e){return new Uint8Array(e>>>0)},__wbg_node_86166ff8ce1f2002:function(e){return e.node},__wbg_now_463ac581d2fc7ea3:function(){return Date.now()},__wbg_parse_c3f72b5a24f83c01:function(){return G(function(e,n){return JSON.parse(j(e,n))},arguments)},__wbg_process_91f425a63f58e399:function(e){return e.process},__wbg_prototypesetcall_13162965d1fe7aa3:function(e,n,t){Uint8Array.prototype.set.call(Ct(e,n),t)},__wbg_push_c9f4893fc209f768:function(e,n){return e.push(n)},__wbg_queueMicrotask_1e8503a8a690f0a3:function(e){return e.queueMicrotask},__wbg_queueMicrotask_4a1a4d8dd332373b:function(e){queueMicrotask(e)},__wbg_randomFillSync_34b023059e3363de:function(){return G(function(e,n){e.randomFillSync(n)},arguments)},__wbg_require_9a7d8cc2e1d275c0:function(){return G(function(){return module.require},arguments)},__wbg_resolve_dbf78ab4942478b0:function(e){return Promise.resolve(e)},__wbg_setTimeout_5fc522e365c06b33:function(e,n){return setTimeout(e,n)},__wbg_set_2793479888329cb6:function(){return G(function(e,n,t){return Reflect.set(e,n,t)},arguments)},__wbg_set_onclose_3cbd30bcadf994b1:function(e,n){e.onclose=n},__wbg_set_onerror_d2445b740b6b60fe:function(e,n){e.onerror=n},__wbg_set_onmessage_ae8c6bf0220e829a:function(e,n){e.onmessage=n},__wbg_set_onopen_492cc256264fb0b6:function(e,n){e.onopen=n},__wbg_signal_33d7feb0f6d46e4a:function(e){return e.signal},__wbg_static_accessor_GLOBAL_THIS_003ee833af9699fc:function(){const e=typeof globalThis>"u"?void 0:globalThis;return x(e)?0:W(e)},__wbg_static_accessor_GLOBAL_e4293fb22cbe77da:function(){const e=typeof global>"u"?void 0:global;return x(e)?0:W(e)},__wbg_static_accessor_SELF_53bb20457401453d:function(){const e=typeof self>"u"?void 0:self;return x(e)?0:W(e)},__wbg_static_accessor_WINDOW_b5e0810bfecb7feb:function(){const e=typeof window>"u"?void 0:window;return x(e)?0:W(e)},__wbg_stringify_0a0fbf2ef722380a:function(){return G(function(e){return JSON.stringify(e)},arguments)},__wbg_subarray_58f388a9247ac0bb:function(e,n,t){return e.subarray(n>>>0,t>>>0)},__wbg_then_656f253a5dd7d8ea:function(e,n,t){return e.then(n,t)},__wbg_then_e3f7f2d365708be8:function(e,n){return e.then(n)},__wbg_versions_6e128a981b0df859:function(e){return e.versions},__wbindgen_generic_0000000000000001:function(e,n){return Re(e,n,Mn)},__wbindgen_generic_0000000000000002:function(e,n){return Re(e,n,An)},__wbindgen_generic_0000000000000003:function(e,n){return Re(e,n,Pn)},__wbindgen_generic_0000000000000004:function(e,n){return Ct(e,n)},__wbindgen_generic_0000000000000005:function(e,n){return j(e,n)},__wbindgen_init_externref_table:function(){const e=u.__wbindgen_externrefs;e.set(0,void 0),e.set(1024,void 0),e.set(1025,null),e.set(1026,!0),e.set(1027,!1)}}}}function Pn(r,e){u.wasm_bindgen_ba9c6822e4026d03___convert__closures_____invoke_______true_(r,e)}function An(r,e,n){u.wasm_bindgen_ba9c6822e4026d03___convert__closures_____invoke___wasm_bindgen_ba9c6822e4026d03___JsValue______true_(r,e,n)}function Mn(r,e,n){const t=u.wasm_bindgen_ba9c6822e4026d03___convert__closures_____invoke___wasm_bindgen_ba9c6822e4026d03___JsValue__core_b25e5d7ba31a63a9___result__Result_____wasm_bindgen_ba9c6822e4026d03___JsError___true_(r,e,n);if(t[1])throw J(t[0])}function yt(r,e,n,t){u.wasm_bindgen_ba9c6822e4026d03___convert__closures_____invoke___js_sys_978b767fdbb56fe___Function_fn_wasm_bindgen_ba9c6822e4026d03___JsValue_____wasm_bindgen_ba9c6822e4026d03___sys__Undefined___js_sys_978b767fdbb56fe___Function_fn_wasm_bindgen_ba9c6822e4026d03___JsValue_____wasm_bindgen_ba9c6822e4026d03___sys__Undefined_______true_(r,e,n,t)}const $t=typeof FinalizationRegistry>"u"?{register:()=>{},unregister:()=>{}}:new FinalizationRegistry(r=>u.__wbg_eventstream_free(r,1)),vt=typeof FinalizationRegistry>"u"?{register:()=>{},unregister:()=>{}}:new FinalizationRegistry(r=>u.__wbg_hubclient_free(r,1)),kt=typeof FinalizationRegistry>"u"?{register:()=>{},unregister:()=>{}}:new FinalizationRegistry(r=>u.__wbg_identity_free(r,1));function W(r){const e=u.__externref_table_alloc();return u.__wbindgen_externrefs.set(e,r),e}function cn(r,e){if(!(r instanceof e))throw new Error(`expected instance of ${e.name}`)}const Et=typeof FinalizationRegistry>"u"?{register:()=>{},unregister:()=>{}}:new FinalizationRegistry(r=>u.__wbindgen_destroy_closure(r.a,r.b));function Ct(r,e){return r=r>>>0,le().subarray(r/1,r/1+e)}let re=null;function me(){return(re===null||re.buffer.detached===!0||re.buffer.detached===void 0&&re.buffer!==u.memory.buffer)&&(re=new DataView(u.memory.buffer)),re}function j(r,e){return r=r>>>0,Nn(le().subarray(r,r+e))}let pe=null;function le(){return(pe===null||pe.byteLength===0)&&(pe=new Uint8Array(u.memory.buffer)),pe}function G(r,e){try{return r.apply(this,e)}catch(n){const t=W(n);u.__wbindgen_exn_store(t)}}function x(r){return r==null}function Re(r,e,n){const t={a:r,b:e,cnt:1},i=(...o)=>{t.cnt++;const s=t.a;t.a=0;try{return n(s,t.b,...o)}finally{t.a=s,i._wbg_cb_unref()}};return i._wbg_cb_unref=()=>{--t.cnt===0&&(u.__wbindgen_destroy_closure(t.a,t.b),t.a=0,Et.unregister(t))},Et.register(i,t,t),i}function qt(r,e){const n=e(r.length*1,1)>>>0;return le().set(r,n/1),L=r.length,n}function N(r,e,n){if(n===void 0){const a=he.encode(r),l=e(a.length,1)>>>0;return le().subarray(l,l+a.length).set(a),L=a.length,l}let t=r.length,i=e(t,1)>>>0;const o=le();let s=0;for(;s<t;s++){const a=r.charCodeAt(s);if(a>127)break;o[i+s]=a}if(s!==t){s!==0&&(r=r.slice(s)),i=n(i,t,t=s+r.length*3,1)>>>0;const a=le().subarray(i+s,i+t),l=he.encodeInto(r,a);s+=l.written,i=n(i,t,s,1)>>>0}return L=s,i}function J(r){const e=u.__wbindgen_externrefs.get(r);return u.__externref_table_dealloc(r),e}let $e=new TextDecoder("utf-8",{ignoreBOM:!0});$e.decode();const Ln=2146435072;let Be=0;function Nn(r){return Be+=r.length,Be>=Ln&&($e=new TextDecoder("utf-8",{ignoreBOM:!0}),$e.decode(),Be=r.length),$e.decode(r)}const he=new TextEncoder;"encodeInto"in he||(he.encodeInto=function(r,e){const n=he.encode(r);return e.set(n),{read:r.length,written:n.length}});let L=0,u;function Dn(r,e){return u=r.exports,re=null,pe=null,u.__wbindgen_start(),u}async function Fn(r,e){if(typeof Response=="function"&&r instanceof Response){if(!r.ok)throw new Error(`failed to fetch Wasm: ${r.status} ${r.statusText} fetching '${r.url}'`);if(typeof WebAssembly.instantiateStreaming=="function")try{return await WebAssembly.instantiateStreaming(r,e)}catch(i){if(n(r.type)&&r.headers.get("Content-Type")!=="application/wasm")console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\n",i);else throw i}const t=await r.arrayBuffer();return await WebAssembly.instantiate(t,e)}else{const t=await WebAssembly.instantiate(r,e);return t instanceof WebAssembly.Instance?{instance:t,module:r}:t}function n(t){switch(t){case"basic":case"cors":case"default":return!0}return!1}}let fe;async function Tt(r){return u!==void 0?u:(fe===void 0&&(fe=Un(r),fe.catch(()=>{fe=void 0})),fe)}async function Un(r){r!==void 0&&(Object.getPrototypeOf(r)===Object.prototype?{module_or_path:r}=r:console.warn("using deprecated parameters for the initialization function; pass a single object instead")),r===void 0&&(r=new URL("/assets/geo_wasm_bg-B8zt4n6m.wasm",import.meta.url));const e=In();(typeof r=="string"||typeof Request=="function"&&r instanceof Request||typeof URL=="function"&&r instanceof URL)&&(r=fetch(r));const{instance:n,module:t}=await Fn(await r,e);return Dn(n)}const Ie=new URL("/assets/geo_wasm_bg-B8zt4n6m.wasm",import.meta.url);if(typeof process<"u"&&process.versions&&process.versions.node&&Ie.protocol==="file:"){const{readFile:r}=await sn(async()=>{const{readFile:e}=await import("./shared-CKc3Kxxz.js").then(n=>n.b);return{readFile:e}},__vite__mapDeps([0,1]));await Tt({module_or_path:await r(Ie)})}else await Tt({module_or_path:Ie});ue.prototype[Symbol.asyncIterator]=function(){return this};const xn="geo-wallet",it="keys",ut="main";function On(){return new Promise((r,e)=>{const n=indexedDB.open(xn,1);n.onupgradeneeded=()=>n.result.createObjectStore(it),n.onsuccess=()=>r(n.result),n.onerror=()=>e(n.error)})}async function dt(r,e){const n=await On();try{return await new Promise((t,i)=>{const o=n.transaction(it,r),s=e(o.objectStore(it));o.oncomplete=()=>t(s&&s.result),o.onerror=()=>i(o.error)})}finally{n.close()}}function jn(){return dt("readonly",r=>r.get(ut))}function _t(r){return dt("readwrite",e=>e.put(r,ut))}function zn(){return dt("readwrite",r=>r.delete(ut))}const ot=new EventTarget,T={stage:"loading",record:null,identity:null,client:null,me:null,equivalents:[],notifications:[],unread:0,toast:null,path:location.pathname+location.search,names:new Map};let ve=0;function X(){ve+=1,ot.dispatchEvent(new Event("change"))}function Y(){const[r,e]=v(ve);return Q(()=>{const n=()=>e(ve);return ot.addEventListener("change",n),ve!==r&&n(),()=>ot.removeEventListener("change",n)},[]),T}function be(r){r!==T.path&&history.pushState(null,"",r),T.path=r,X()}addEventListener("popstate",()=>{T.path=location.pathname+location.search,X()});async function Vn(){T.record=await jn(),T.stage=T.record?"locked":"welcome",X()}async function Kn(r){const e=V.fromKeyFile(T.record.keyFile,r);await ln(e,T.record.registered)}async function st(r,e,n){const t=r.toKeyFile(e);T.record={keyFile:t,pid:r.pid,registered:n},await _t(T.record),await ln(r,n)}async function ln(r,e){if(T.identity=r,T.client=await de.connect(location.origin,r),!e)try{T.me=await T.client.login(),e=!0,T.record={...T.record,registered:!0},await _t(T.record)}catch{e=!1}e?await un():(T.stage="register",X())}async function Jn(r){T.me=await T.client.register(r,"person"),T.record={...T.record,registered:!0,name:r},await _t(T.record),await un()}async function un(){const r=T.client;T.me=T.me||await r.profile(),T.equivalents=await r.equivalents(),T.names.set(T.me.pid,T.me.display_name),T.stage="ready",X(),Hn(r)}async function Hn(r){const e="geo.events."+r.pid,n=Number(localStorage.getItem(e)||0);try{for await(const t of r.events(n)){if(r!==T.client)break;localStorage.setItem(e,String(t.id)),T.notifications=[t,...T.notifications].slice(0,100),T.unread+=1,T.toast=t,T.refresh=(T.refresh||0)+1,X()}}catch(t){console.warn("event stream ended",t)}}function dn(){T.identity=null,T.client=null,T.me=null,T.notifications=[],T.unread=0,T.stage=T.record?"locked":"welcome",be("/")}async function _n(){await zn(),T.record=null,dn()}async function Wn(r){if(T.names.has(r))return T.names.get(r);try{const e=await T.client.participant(r);return T.names.set(r,e.display_name),e.display_name}catch{return T.names.set(r,null),null}}function ie(r){const e=T.equivalents.find(n=>n.code===r);return e?e.precision:0}function Yn({go:r}){return p`<section class="card welcome" data-testid="welcome">
    <h1>${c("welcome.title")}</h1>
    <p>${c("welcome.what")}</p>
    <p class="note">${c("welcome.secret")}</p>
    <div class="actions column">
      <button onClick=${()=>r("create")}>${c("welcome.create")}</button>
      <button class="secondary" onClick=${()=>r("restore")}>${c("welcome.restore")}</button>
    </div>
  </section>`}const Pe=8;function fn({onDone:r,busyText:e}){const[n,t]=v(""),[i,o]=v(""),[s,a]=v(""),[l,_]=v(!1);async function d(g){if(g.preventDefault(),n.length<Pe)return a(c("passphrase.too_short",{n:Pe}));if(n!==i)return a(c("passphrase.mismatch"));a(""),_(!0);try{await r(n)}catch(h){a(O(h)),_(!1)}}return p`<form onSubmit=${d} class="card" data-testid="passphrase">
    <h2>${c("passphrase.title")}</h2>
    <p>${c("passphrase.why")}</p>
    <${F} id="pass1" label=${c("passphrase.label")} hint=${c("passphrase.hint",{n:Pe})}>
      <input id="pass1" type="password" autocomplete="new-password" value=${n} onInput=${g=>t(g.currentTarget.value)} aria-describedby="pass1-hint" />
    <//>
    <${F} id="pass2" label=${c("passphrase.again")}>
      <input id="pass2" type="password" autocomplete="new-password" value=${i} onInput=${g=>o(g.currentTarget.value)} />
    <//>
    <${H} kind="error">${s}<//>
    <button type="submit" disabled=${l}>${l?e||c("working"):c("passphrase.save")}</button>
  </form>`}function Gn(r){const e=new Set,n=new Uint32Array(8);for(;e.size<3;){crypto.getRandomValues(n);for(const t of n)e.size<3&&e.add(t%r)}return[...e].sort((t,i)=>t-i)}function Qn({back:r}){const e=Se(()=>V.generate(),[]),n=Se(()=>e.mnemonic().split(" "),[e]),t=Se(()=>Gn(n.length),[n]),[i,o]=v("words"),[s,a]=v(["","",""]),[l,_]=v("");return i==="words"?p`<section class="card" data-testid="backup-words">
      <h2>${c("create.words_title")}</h2>
      <p>${c("create.words_why")}</p>
      <ol class="words" aria-label=${c("create.words_title")}>
        ${n.map((d,g)=>p`<li key=${g}><span class="n">${g+1}</span> <span class="w">${d}</span></li>`)}
      </ol>
      <p class="note">${c("welcome.secret")}</p>
      <div class="actions">
        <button class="secondary" onClick=${r}>${c("back")}</button>
        <button onClick=${()=>o("confirm")}>${c("create.written")}</button>
      </div>
    </section>`:i==="confirm"?p`<form class="card" onSubmit=${g=>{if(g.preventDefault(),!t.every((w,y)=>s[y].trim().toLowerCase()===n[w]))return _(c("create.confirm_wrong"));_(""),o("passphrase")}} data-testid="confirm-words">
      <h2>${c("create.confirm_title")}</h2>
      <p>${c("create.confirm_why")}</p>
      ${t.map((g,h)=>p`<${F} key=${g} id=${"word"+h} label=${c("create.word_n",{n:g+1})}>
        <input id=${"word"+h} data-position=${g+1} autocomplete="off" autocapitalize="none" spellcheck=${!1}
          value=${s[h]} onInput=${w=>a(s.map((y,b)=>b===h?w.currentTarget.value:y))} />
      <//>`)}
      <${H} kind="error">${l}<//>
      <div class="actions">
        <button type="button" class="secondary" onClick=${()=>o("words")}>${c("create.show_again")}</button>
        <button type="submit">${c("create.confirm")}</button>
      </div>
    </form>`:p`<${fn} onDone=${d=>st(e,d,!1)} />`}function Xn({back:r}){const[e,n]=v(""),[t,i]=v(null),[o,s]=v(""),[a,l]=v(null),[_,d]=v(""),[g,h]=v(!1);if(a)return p`<${fn} onDone=${b=>st(a,b,!1)} />`;const w=b=>{b.preventDefault();try{l(V.fromMnemonic(e.trim().toLowerCase().split(/\s+/).join(" ")))}catch{d(c("restore.bad_phrase"))}},y=async b=>{if(b.preventDefault(),!t)return d(c("restore.pick_file"));h(!0);try{const S=await t.text(),R=V.fromKeyFile(S,o);await st(R,o,!1)}catch(S){d(O(S)),h(!1)}};return p`<section class="card" data-testid="restore">
    <h2>${c("restore.title")}</h2>
    <form onSubmit=${w}>
      <${F} id="phrase" label=${c("restore.phrase")} hint=${c("restore.phrase_hint")}>
        <textarea id="phrase" rows="4" autocomplete="off" autocapitalize="none" spellcheck=${!1}
          value=${e} onInput=${b=>n(b.currentTarget.value)}></textarea>
      <//>
      <button type="submit">${c("restore.from_phrase")}</button>
    </form>
    <hr />
    <form onSubmit=${y}>
      <${F} id="keyfile" label=${c("restore.file")}>
        <input id="keyfile" type="file" accept=".json,application/json" onChange=${b=>i(b.currentTarget.files[0])} />
      <//>
      <${F} id="filepass" label=${c("restore.file_pass")}>
        <input id="filepass" type="password" autocomplete="current-password" value=${o} onInput=${b=>s(b.currentTarget.value)} />
      <//>
      <button type="submit" disabled=${g}>${g?c("working"):c("restore.from_file")}</button>
    </form>
    <${H} kind="error">${_}<//>
    <button class="link" onClick=${r}>${c("back")}</button>
  </section>`}function Zn(){const[r,e]=v(""),[n,t]=v(""),[i,o]=v(!1),s=async l=>{l.preventDefault(),o(!0),t("");try{await Kn(r)}catch(_){t(O(_)),o(!1)}},a=()=>{confirm(c("unlock.forget_confirm"))&&_n()};return p`<form class="card" onSubmit=${s} data-testid="unlock">
    <h2>${c("unlock.title")}</h2>
    <p>${c("unlock.who",{pid:lt(T.record.pid)})}</p>
    <${F} id="unlock-pass" label=${c("passphrase.label")}>
      <input id="unlock-pass" type="password" autocomplete="current-password" value=${r} onInput=${l=>e(l.currentTarget.value)} />
    <//>
    <${H} kind="error">${n}<//>
    <button type="submit" disabled=${i}>${i?c("working"):c("unlock.open")}</button>
    <button type="button" class="link" onClick=${a}>${c("unlock.forget")}</button>
  </form>`}function er(){const[r,e]=v(""),[n,t]=v(""),[i,o]=v(!1);return p`<form class="card" onSubmit=${async a=>{if(a.preventDefault(),!r.trim())return t(c("register.name_needed"));o(!0),t("");try{await Jn(r.trim())}catch(l){t(O(l)),o(!1)}}} data-testid="register">
    <h2>${c("register.title")}</h2>
    <p>${c("register.why")}</p>
    <p><code class="pid">${T.identity.pid}</code></p>
    <${F} id="display-name" label=${c("register.name")}>
      <input id="display-name" autocomplete="name" maxlength="64" value=${r} onInput=${a=>e(a.currentTarget.value)} />
    <//>
    <${H} kind="error">${n}<//>
    <button type="submit" disabled=${i}>${i?c("working"):c("register.join")}</button>
  </form>`}function tr(){const r=Y(),[e,n]=v(null),[t,i]=v("");return Q(()=>{r.client.balance().then(n,o=>i(O(o)))},[r.refresh]),p`<section data-testid="dashboard">
    <h1>${c("dashboard.hello",{name:r.me.display_name})}</h1>
    <${H} kind="error">${t}<//>
    ${e&&e.length===0&&p`<div class="card"><p>${c("dashboard.empty")}</p>
      <button onClick=${()=>be("/trust")}>${c("nav.trust")}</button></div>`}
    <div class="grid">
      ${(e||[]).map(o=>p`<article class="card balance" key=${o.equivalent} data-equivalent=${o.equivalent}>
        <h2>${o.equivalent}</h2>
        <p class="net ${o.net.startsWith("-")?"negative":""}"><span>${c("dashboard.net")}</span> <strong data-testid="net">${o.net}</strong></p>
        <dl>
          <dt>${c("dashboard.owe")}</dt><dd data-testid="debt">${o.debt}</dd>
          <dt>${c("dashboard.owed")}</dt><dd data-testid="credit">${o.credit}</dd>
          <dt>${c("dashboard.trust_given")}</dt><dd>${o.trust_given}</dd>
          <dt>${c("dashboard.trust_received")}</dt><dd>${o.trust_received}</dd>
          <dt>${c("dashboard.can_pay")}</dt><dd data-testid="can-pay">${o.available_to_spend}</dd>
          <dt>${c("dashboard.can_receive")}</dt><dd>${o.available_to_receive}</dd>
        </dl>
      </article>`)}
    </div>
    <div class="actions">
      <button onClick=${()=>be("/pay")}>${c("nav.pay")}</button>
      <button class="secondary" onClick=${()=>be("/request")}>${c("nav.request")}</button>
    </div>
  </section>`}function gn({id:r,label:e,value:n,onChange:t,error:i}){const[o,s]=v([]),[a,l]=v(!1),_=async()=>{const g=n.trim();if(g){l(!0);try{const h=await T.client.searchParticipants(g,10);s(h.filter(w=>w.pid!==T.me.pid))}catch{s([])}l(!1)}},d=g=>{g.key==="Enter"&&!ft(n)&&(g.preventDefault(),_())};return p`<div class="picker">
    <${F} id=${r} label=${e} hint=${c("picker.hint")} error=${i}>
      <div class="row">
        <input id=${r} autocomplete="off" autocapitalize="none" spellcheck=${!1} value=${n}
          onInput=${g=>t(g.currentTarget.value.trim())} onKeyDown=${d}
          aria-describedby=${r+"-hint"} />
        <button type="button" class="secondary" onClick=${_} disabled=${a}>${c("picker.search")}</button>
      </div>
    <//>
    ${o.length>0&&p`<ul class="results" aria-label=${c("picker.results")}>
      ${o.map(g=>p`<li key=${g.pid}><button type="button" class="link" onClick=${()=>{t(g.pid),T.names.set(g.pid,g.display_name),s([])}}>
        ${g.display_name} <code>${lt(g.pid)}</code></button></li>`)}
    </ul>`}
  </div>`}function ft(r){try{return Bn(r),!0}catch{return!1}}function K({pid:r}){const[e,n]=v(T.names.get(r));Q(()=>{let i=!0;return Wn(r).then(o=>i&&n(o)),()=>i=!1},[r]);const t=T.me&&T.me.pid===r;return p`<span class="name" title=${r}>${t?c("you"):e||c("unknown_member")} <code>${lt(r)}</code></span>`}function St(r,e){try{const n=String(r).startsWith("-"),t=BigInt(ke(n?r.slice(1):r,e));return n?-t:t}catch{return 0n}}function nr(r,e,n){const t=St(e,n);if(t<=0n)return 0;const o=St(r,n)*100n/t;return Number(o>100n?100n:o<0n?0n:o)}function Rt({line:r,given:e,onEdit:n,onClose:t}){const i=e?r.debtor:r.creditor,o=nr(r.used,r.limit,ie(r.equivalent));return p`<li class="line" data-testid=${e?"line-given":"line-received"}>
    <div><${K} pid=${i} /> <span class="eq">${r.equivalent}</span></div>
    <div class="usage">
      <meter min="0" max="100" value=${o} aria-label=${c("trust.used_of",{used:r.used,limit:r.limit})}></meter>
      <span>${c("trust.used_of",{used:r.used,limit:r.limit})}</span>
    </div>
    ${!r.policy.auto_clearing&&p`<small>${c("trust.no_auto")}</small>`}
    ${e&&p`<div class="actions">
      <button class="secondary" onClick=${()=>n(r)}>${c("trust.change")}</button>
      <button class="danger" onClick=${()=>t(r)}>${c("trust.close")}</button>
    </div>`}
  </li>`}function rr(){const r=Y(),[e,n]=v([]),[t,i]=v([]),[o,s]=v(""),[a,l]=v(r.equivalents[0]?.code||""),[_,d]=v(""),[g,h]=v(!0),[w,y]=v({}),[b,S]=v(null),[R,M]=v(!1),f=async()=>{const m=r.client,[q,$]=await Promise.all([m.trustLines({direction:"outgoing"}),m.trustLines({direction:"incoming"})]);n(q.filter(I=>I.status==="active")),i($.filter(I=>I.status==="active"))};Q(()=>{f().catch(m=>S({kind:"error",text:O(m)}))},[r.refresh]);const k=async m=>{m.preventDefault();const q={};ft(o)?o===r.me.pid&&(q.member=c("trust.not_self")):q.member=c("pay.bad_pid");try{ke(_,ie(a))}catch($){q.limit=O($)}if(y(q),!Object.keys(q).length){M(!0),S(null);try{const $=await r.client.participant(o).catch(B=>{throw B.code==="E_NOT_FOUND"?Object.assign(new Error(c("pay.unknown_member")),{field:"member"}):B});r.names.set($.pid,$.display_name);const I=g?void 0:{auto_clearing:!1,can_be_intermediate:!0,blocked_participants:[]};await r.client.setTrustLine(o,a,_,I),S({kind:"ok",text:c("trust.saved",{name:$.display_name,limit:_,equivalent:a})}),s(""),d(""),await f()}catch($){$.field?y({[$.field]:$.message}):S({kind:"error",text:O($)})}M(!1)}},D=m=>{s(m.debtor),l(m.equivalent),d(m.limit),h(m.policy.auto_clearing),document.getElementById("trust-member")?.focus()},E=async m=>{S(null);try{await r.client.closeTrustLine(m.debtor,m.equivalent),S({kind:"ok",text:c("trust.closed")}),await f(),X()}catch(q){S({kind:"error",text:c("trust.close_refused",{why:O(q)})})}};return p`<section data-testid="trust">
    <h1>${c("nav.trust")}</h1>
    <${H} kind=${b?.kind} testid="trust-message">${b?.text}<//>
    <form class="card" onSubmit=${k} novalidate>
      <h2>${c("trust.set_title")}</h2>
      <p class="note">${c("trust.explain")}</p>
      <${gn} id="trust-member" label=${c("trust.member")} value=${o} onChange=${s} error=${w.member} />
      <${F} id="trust-eq" label=${c("equivalent")}>
        <select id="trust-eq" value=${a} onChange=${m=>l(m.currentTarget.value)}>
          ${r.equivalents.map(m=>p`<option value=${m.code}>${m.code}${m.description?" — "+m.description:""}</option>`)}
        </select>
      <//>
      <${F} id="trust-limit" label=${c("trust.limit")} hint=${c("amount.hint",{n:ie(a)})} error=${w.limit}>
        <input id="trust-limit" inputmode="decimal" autocomplete="off" value=${_} onInput=${m=>d(m.currentTarget.value.trim())} aria-describedby="trust-limit-hint" />
      <//>
      <div class="field check">
        <input id="trust-auto" type="checkbox" checked=${g} onChange=${m=>h(m.currentTarget.checked)} />
        <label for="trust-auto">${c("trust.auto")}</label>
      </div>
      <button type="submit" disabled=${R}>${R?c("working"):c("trust.save")}</button>
    </form>
    <div class="grid">
      <div class="card">
        <h2>${c("trust.given")}</h2>
        ${e.length===0?p`<p>${c("trust.none")}</p>`:p`<ul class="lines">${e.map(m=>p`<${Rt} key=${m.id} line=${m} given onEdit=${D} onClose=${E} />`)}</ul>`}
      </div>
      <div class="card">
        <h2>${c("trust.received")}</h2>
        ${t.length===0?p`<p>${c("trust.none")}</p>`:p`<ul class="lines">${t.map(m=>p`<${Rt} key=${m.id} line=${m} />`)}</ul>`}
      </div>
    </div>
  </section>`}function ir({record:r}){const e=r.payment||r,n=r.payment?r.receipt:r,t=e.status==="committed";return p`<article class="card receipt ${t?"ok":"failed"}" data-testid="receipt" aria-live="polite">
    <h2>${t?c("receipt.paid"):c("receipt.not_paid")}</h2>
    <p class="big">${e.amount} ${e.equivalent}</p>
    <p>${c("receipt.to")} <${K} pid=${e.payee} /></p>
    ${n&&p`<p class="note">${c("receipt.verified")}</p>`}
    ${e.routes.length>0&&p`<div>
      <h3>${c("receipt.paths",{n:e.routes.length})}</h3>
      <ol class="routes">
        ${e.routes.map((i,o)=>p`<li key=${o}>
          ${i.path.map((s,a)=>p`${a>0?" → ":""}<${K} pid=${s} />`)}
          <strong> ${i.amount}</strong>
        </li>`)}
      </ol>
    </div>`}
    <small class="mono">tx ${e.tx_id}</small>
  </article>`}const or=typeof navigator<"u"&&!!navigator.mediaDevices?.getUserMedia;async function sr(r){if("BarcodeDetector"in window&&(await window.BarcodeDetector.getSupportedFormats().catch(()=>[])).includes("qr_code")){const o=new window.BarcodeDetector({formats:["qr_code"]});return async()=>(await o.detect(r).catch(()=>[]))[0]?.rawValue??null}const{default:e}=await sn(async()=>{const{default:i}=await import("./jsQR-DTXHP3BW.js").then(o=>o.j);return{default:i}},__vite__mapDeps([2,3])),n=document.createElement("canvas"),t=n.getContext("2d",{willReadFrequently:!0});return async()=>{const i=r.videoWidth,o=r.videoHeight;if(!i||!o)return null;n.width=i,n.height=o,t.drawImage(r,0,0,i,o);const s=e(t.getImageData(0,0,i,o).data,i,o,{inversionAttempts:"dontInvert"});return s?s.data:null}}function ar({onScan:r,onClose:e}){const n=En(null),[t,i]=v("");return Q(()=>{let o,s=!1;return(async()=>{try{o=await navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}),n.current.srcObject=o,await n.current.play();const a=await sr(n.current);for(;!s;){const l=await a();if(l){r(l);break}await new Promise(_=>setTimeout(_,200))}}catch{i(c("scan.failed"))}})(),()=>{s=!0,o?.getTracks().forEach(a=>a.stop())}},[]),p`<div class="scanner card" data-testid="scanner">
    <video ref=${n} muted playsinline aria-label=${c("scan.video")}></video>
    ${t&&p`<p class="error" role="alert">${t}</p>`}
    <button type="button" class="secondary" onClick=${e}>${c("scan.stop")}</button>
  </div>`}function cr(){return new URLSearchParams(location.search).get("invoice")||""}function lr(){const r=Y(),[e,n]=v(cr()),[t,i]=v(null),[o,s]=v(""),[a,l]=v(r.equivalents[0]?.code||""),[_,d]=v(""),[g,h]=v(""),[w,y]=v({}),[b,S]=v(null),[R,M]=v(null),[f,k]=v(""),[D,E]=v(!1),[m,q]=v(!1),$=C=>{if(k(""),S(null),M(null),i(null),typeof wt!="function")return y({link:c("invoice.unsupported")});try{const U=wt(C.trim(),r.client.hubPid);y({}),i(U),I(U.payee,U.equivalent,U.amount)}catch(U){y({link:O(U)})}};Q(()=>{e&&$(e)},[]);const I=async(C,U,z)=>{try{const _e=await r.client.capacity(C,U,z);S(_e)}catch(_e){k(O(_e))}},B=async C=>{C.preventDefault(),M(null),S(null),k("");const U={};ft(o)?o===r.me.pid&&(U.payee=c("pay.not_self")):U.payee=c("pay.bad_pid");try{ke(_,ie(a)),/^0*(\.0*)?$/.test(_)&&(U.amount=c("pay.positive"))}catch(z){U.amount=O(z)}if(y(U),!Object.keys(U).length){E(!0);try{const z=await r.client.participant(o);r.names.set(z.pid,z.display_name),await I(o,a,_)}catch(z){z.code==="E_NOT_FOUND"?y({payee:c("pay.unknown_member")}):k(O(z))}E(!1)}},A=async()=>{E(!0),k("");try{const C=t?await r.client.payInvoice(t):await r.client.pay({payee:o,equivalent:a,amount:_,...g?{description:g}:{}});M(C),S(null),i(null),n(""),d(""),X()}catch(C){k(O(C))}E(!1)},P=t?{payee:t.payee,equivalent:t.equivalent,amount:t.amount}:{equivalent:a,amount:_};return p`<section data-testid="pay">
    <h1>${c("nav.pay")}</h1>
    <form class="card" onSubmit=${C=>{C.preventDefault(),$(e)}} novalidate>
      <h2>${c("pay.by_request")}</h2>
      <${F} id="invoice-link" label=${c("pay.request_link")} hint=${c("pay.request_hint")} error=${w.link}>
        <textarea id="invoice-link" rows="2" autocomplete="off" spellcheck=${!1} value=${e} onInput=${C=>n(C.currentTarget.value)} aria-describedby="invoice-link-hint"></textarea>
      <//>
      <div class="actions">
        <button type="submit" class="secondary">${c("pay.open_request")}</button>
        ${or&&p`<button type="button" class="secondary" onClick=${()=>q(!0)}>${c("scan.start")}</button>`}
      </div>
      ${m&&p`<${ar} onScan=${C=>{q(!1),n(C),$(C)}} onClose=${()=>q(!1)} />`}
    </form>
    ${t&&p`<article class="card invoice" data-testid="invoice">
      <h2>${c("invoice.title")}</h2>
      <p class="big">${t.amount} ${t.equivalent}</p>
      <p>${c("receipt.to")} <${K} pid=${t.payee} /></p>
      ${t.description&&p`<p>“${t.description}”</p>`}
      <p class="note">${c("invoice.checked",{until:new Date(t.expires_at).toLocaleString()})}</p>
    </article>`}
    ${!t&&p`<form class="card" onSubmit=${B} novalidate>
      <h2>${c("pay.direct")}</h2>
      <${gn} id="pay-to" label=${c("pay.to")} value=${o} onChange=${C=>{s(C),S(null)}} error=${w.payee} />
      <${F} id="pay-eq" label=${c("equivalent")}>
        <select id="pay-eq" value=${a} onChange=${C=>{l(C.currentTarget.value),S(null)}}>
          ${r.equivalents.map(C=>p`<option value=${C.code}>${C.code}</option>`)}
        </select>
      <//>
      <${F} id="pay-amount" label=${c("amount")} hint=${c("amount.hint",{n:ie(a)})} error=${w.amount}>
        <input id="pay-amount" inputmode="decimal" autocomplete="off" value=${_} onInput=${C=>{d(C.currentTarget.value.trim()),S(null)}} aria-describedby="pay-amount-hint" />
      <//>
      <${F} id="pay-desc" label=${c("pay.description")}>
        <input id="pay-desc" maxlength="200" value=${g} onInput=${C=>h(C.currentTarget.value)} />
      <//>
      <button type="submit" class="secondary" disabled=${D}>${c("pay.preview")}</button>
    </form>`}
    ${b&&p`<div class="card preview" data-testid="preview">
      <p>${c("pay.max_now",{amount:b.max_amount,equivalent:b.equivalent})}</p>
      ${b.can_pay===!1?p`<p class="error" role="alert">${c("pay.cannot",{amount:P.amount})}</p>`:p`<button onClick=${A} disabled=${D}>${D?c("working"):c("pay.sign_send",{amount:P.amount,equivalent:P.equivalent})}</button>`}
    </div>`}
    <${H} kind="error" testid="pay-error">${f}<//>
    ${R&&p`<${ir} record=${R} />`}
  </section>`}var ce={},Ae,Bt;function ur(){return Bt||(Bt=1,Ae=function(){return typeof Promise=="function"&&Promise.prototype&&Promise.prototype.then}),Ae}var Me={},ne={},It;function oe(){if(It)return ne;It=1;let r;const e=[0,26,44,70,100,134,172,196,242,292,346,404,466,532,581,655,733,815,901,991,1085,1156,1258,1364,1474,1588,1706,1828,1921,2051,2185,2323,2465,2611,2761,2876,3034,3196,3362,3532,3706];return ne.getSymbolSize=function(t){if(!t)throw new Error('"version" cannot be null or undefined');if(t<1||t>40)throw new Error('"version" should be in range from 1 to 40');return t*4+17},ne.getSymbolTotalCodewords=function(t){return e[t]},ne.getBCHDigit=function(n){let t=0;for(;n!==0;)t++,n>>>=1;return t},ne.setToSJISFunction=function(t){if(typeof t!="function")throw new Error('"toSJISFunc" is not a valid function.');r=t},ne.isKanjiModeEnabled=function(){return typeof r<"u"},ne.toSJIS=function(t){return r(t)},ne}var Le={},Pt;function gt(){return Pt||(Pt=1,(function(r){r.L={bit:1},r.M={bit:0},r.Q={bit:3},r.H={bit:2};function e(n){if(typeof n!="string")throw new Error("Param is not a string");switch(n.toLowerCase()){case"l":case"low":return r.L;case"m":case"medium":return r.M;case"q":case"quartile":return r.Q;case"h":case"high":return r.H;default:throw new Error("Unknown EC Level: "+n)}}r.isValid=function(t){return t&&typeof t.bit<"u"&&t.bit>=0&&t.bit<4},r.from=function(t,i){if(r.isValid(t))return t;try{return e(t)}catch{return i}}})(Le)),Le}var Ne,At;function dr(){if(At)return Ne;At=1;function r(){this.buffer=[],this.length=0}return r.prototype={get:function(e){const n=Math.floor(e/8);return(this.buffer[n]>>>7-e%8&1)===1},put:function(e,n){for(let t=0;t<n;t++)this.putBit((e>>>n-t-1&1)===1)},getLengthInBits:function(){return this.length},putBit:function(e){const n=Math.floor(this.length/8);this.buffer.length<=n&&this.buffer.push(0),e&&(this.buffer[n]|=128>>>this.length%8),this.length++}},Ne=r,Ne}var De,Mt;function _r(){if(Mt)return De;Mt=1;function r(e){if(!e||e<1)throw new Error("BitMatrix size must be defined and greater than 0");this.size=e,this.data=new Uint8Array(e*e),this.reservedBit=new Uint8Array(e*e)}return r.prototype.set=function(e,n,t,i){const o=e*this.size+n;this.data[o]=t,i&&(this.reservedBit[o]=!0)},r.prototype.get=function(e,n){return this.data[e*this.size+n]},r.prototype.xor=function(e,n,t){this.data[e*this.size+n]^=t},r.prototype.isReserved=function(e,n){return this.reservedBit[e*this.size+n]},De=r,De}var Fe={},Lt;function fr(){return Lt||(Lt=1,(function(r){const e=oe().getSymbolSize;r.getRowColCoords=function(t){if(t===1)return[];const i=Math.floor(t/7)+2,o=e(t),s=o===145?26:Math.ceil((o-13)/(2*i-2))*2,a=[o-7];for(let l=1;l<i-1;l++)a[l]=a[l-1]-s;return a.push(6),a.reverse()},r.getPositions=function(t){const i=[],o=r.getRowColCoords(t),s=o.length;for(let a=0;a<s;a++)for(let l=0;l<s;l++)a===0&&l===0||a===0&&l===s-1||a===s-1&&l===0||i.push([o[a],o[l]]);return i}})(Fe)),Fe}var Ue={},Nt;function gr(){if(Nt)return Ue;Nt=1;const r=oe().getSymbolSize,e=7;return Ue.getPositions=function(t){const i=r(t);return[[0,0],[i-e,0],[0,i-e]]},Ue}var xe={},Dt;function pr(){return Dt||(Dt=1,(function(r){r.Patterns={PATTERN000:0,PATTERN001:1,PATTERN010:2,PATTERN011:3,PATTERN100:4,PATTERN101:5,PATTERN110:6,PATTERN111:7};const e={N1:3,N2:3,N3:40,N4:10};r.isValid=function(i){return i!=null&&i!==""&&!isNaN(i)&&i>=0&&i<=7},r.from=function(i){return r.isValid(i)?parseInt(i,10):void 0},r.getPenaltyN1=function(i){const o=i.size;let s=0,a=0,l=0,_=null,d=null;for(let g=0;g<o;g++){a=l=0,_=d=null;for(let h=0;h<o;h++){let w=i.get(g,h);w===_?a++:(a>=5&&(s+=e.N1+(a-5)),_=w,a=1),w=i.get(h,g),w===d?l++:(l>=5&&(s+=e.N1+(l-5)),d=w,l=1)}a>=5&&(s+=e.N1+(a-5)),l>=5&&(s+=e.N1+(l-5))}return s},r.getPenaltyN2=function(i){const o=i.size;let s=0;for(let a=0;a<o-1;a++)for(let l=0;l<o-1;l++){const _=i.get(a,l)+i.get(a,l+1)+i.get(a+1,l)+i.get(a+1,l+1);(_===4||_===0)&&s++}return s*e.N2},r.getPenaltyN3=function(i){const o=i.size;let s=0,a=0,l=0;for(let _=0;_<o;_++){a=l=0;for(let d=0;d<o;d++)a=a<<1&2047|i.get(_,d),d>=10&&(a===1488||a===93)&&s++,l=l<<1&2047|i.get(d,_),d>=10&&(l===1488||l===93)&&s++}return s*e.N3},r.getPenaltyN4=function(i){let o=0;const s=i.data.length;for(let l=0;l<s;l++)o+=i.data[l];return Math.abs(Math.ceil(o*100/s/5)-10)*e.N4};function n(t,i,o){switch(t){case r.Patterns.PATTERN000:return(i+o)%2===0;case r.Patterns.PATTERN001:return i%2===0;case r.Patterns.PATTERN010:return o%3===0;case r.Patterns.PATTERN011:return(i+o)%3===0;case r.Patterns.PATTERN100:return(Math.floor(i/2)+Math.floor(o/3))%2===0;case r.Patterns.PATTERN101:return i*o%2+i*o%3===0;case r.Patterns.PATTERN110:return(i*o%2+i*o%3)%2===0;case r.Patterns.PATTERN111:return(i*o%3+(i+o)%2)%2===0;default:throw new Error("bad maskPattern:"+t)}}r.applyMask=function(i,o){const s=o.size;for(let a=0;a<s;a++)for(let l=0;l<s;l++)o.isReserved(l,a)||o.xor(l,a,n(i,l,a))},r.getBestMask=function(i,o){const s=Object.keys(r.Patterns).length;let a=0,l=1/0;for(let _=0;_<s;_++){o(_),r.applyMask(_,i);const d=r.getPenaltyN1(i)+r.getPenaltyN2(i)+r.getPenaltyN3(i)+r.getPenaltyN4(i);r.applyMask(_,i),d<l&&(l=d,a=_)}return a}})(xe)),xe}var ye={},Ft;function pn(){if(Ft)return ye;Ft=1;const r=gt(),e=[1,1,1,1,1,1,1,1,1,1,2,2,1,2,2,4,1,2,4,4,2,4,4,4,2,4,6,5,2,4,6,6,2,5,8,8,4,5,8,8,4,5,8,11,4,8,10,11,4,9,12,16,4,9,16,16,6,10,12,18,6,10,17,16,6,11,16,19,6,13,18,21,7,14,21,25,8,16,20,25,8,17,23,25,9,17,23,34,9,18,25,30,10,20,27,32,12,21,29,35,12,23,34,37,12,25,34,40,13,26,35,42,14,28,38,45,15,29,40,48,16,31,43,51,17,33,45,54,18,35,48,57,19,37,51,60,19,38,53,63,20,40,56,66,21,43,59,70,22,45,62,74,24,47,65,77,25,49,68,81],n=[7,10,13,17,10,16,22,28,15,26,36,44,20,36,52,64,26,48,72,88,36,64,96,112,40,72,108,130,48,88,132,156,60,110,160,192,72,130,192,224,80,150,224,264,96,176,260,308,104,198,288,352,120,216,320,384,132,240,360,432,144,280,408,480,168,308,448,532,180,338,504,588,196,364,546,650,224,416,600,700,224,442,644,750,252,476,690,816,270,504,750,900,300,560,810,960,312,588,870,1050,336,644,952,1110,360,700,1020,1200,390,728,1050,1260,420,784,1140,1350,450,812,1200,1440,480,868,1290,1530,510,924,1350,1620,540,980,1440,1710,570,1036,1530,1800,570,1064,1590,1890,600,1120,1680,1980,630,1204,1770,2100,660,1260,1860,2220,720,1316,1950,2310,750,1372,2040,2430];return ye.getBlocksCount=function(i,o){switch(o){case r.L:return e[(i-1)*4+0];case r.M:return e[(i-1)*4+1];case r.Q:return e[(i-1)*4+2];case r.H:return e[(i-1)*4+3];default:return}},ye.getTotalCodewordsCount=function(i,o){switch(o){case r.L:return n[(i-1)*4+0];case r.M:return n[(i-1)*4+1];case r.Q:return n[(i-1)*4+2];case r.H:return n[(i-1)*4+3];default:return}},ye}var Oe={},ge={},Ut;function hr(){if(Ut)return ge;Ut=1;const r=new Uint8Array(512),e=new Uint8Array(256);return(function(){let t=1;for(let i=0;i<255;i++)r[i]=t,e[t]=i,t<<=1,t&256&&(t^=285);for(let i=255;i<512;i++)r[i]=r[i-255]})(),ge.log=function(t){if(t<1)throw new Error("log("+t+")");return e[t]},ge.exp=function(t){return r[t]},ge.mul=function(t,i){return t===0||i===0?0:r[e[t]+e[i]]},ge}var xt;function br(){return xt||(xt=1,(function(r){const e=hr();r.mul=function(t,i){const o=new Uint8Array(t.length+i.length-1);for(let s=0;s<t.length;s++)for(let a=0;a<i.length;a++)o[s+a]^=e.mul(t[s],i[a]);return o},r.mod=function(t,i){let o=new Uint8Array(t);for(;o.length-i.length>=0;){const s=o[0];for(let l=0;l<i.length;l++)o[l]^=e.mul(i[l],s);let a=0;for(;a<o.length&&o[a]===0;)a++;o=o.slice(a)}return o},r.generateECPolynomial=function(t){let i=new Uint8Array([1]);for(let o=0;o<t;o++)i=r.mul(i,new Uint8Array([1,e.exp(o)]));return i}})(Oe)),Oe}var je,Ot;function wr(){if(Ot)return je;Ot=1;const r=br();function e(n){this.genPoly=void 0,this.degree=n,this.degree&&this.initialize(this.degree)}return e.prototype.initialize=function(t){this.degree=t,this.genPoly=r.generateECPolynomial(this.degree)},e.prototype.encode=function(t){if(!this.genPoly)throw new Error("Encoder not initialized");const i=new Uint8Array(t.length+this.degree);i.set(t);const o=r.mod(i,this.genPoly),s=this.degree-o.length;if(s>0){const a=new Uint8Array(this.degree);return a.set(o,s),a}return o},je=e,je}var ze={},Ve={},Ke={},jt;function hn(){return jt||(jt=1,Ke.isValid=function(e){return!isNaN(e)&&e>=1&&e<=40}),Ke}var Z={},zt;function bn(){if(zt)return Z;zt=1;const r="[0-9]+",e="[A-Z $%*+\\-./:]+";let n="(?:[u3000-u303F]|[u3040-u309F]|[u30A0-u30FF]|[uFF00-uFFEF]|[u4E00-u9FAF]|[u2605-u2606]|[u2190-u2195]|u203B|[u2010u2015u2018u2019u2025u2026u201Cu201Du2225u2260]|[u0391-u0451]|[u00A7u00A8u00B1u00B4u00D7u00F7])+";n=n.replace(/u/g,"\\u");const t="(?:(?![A-Z0-9 $%*+\\-./:]|"+n+`)(?:.|[\r
]))+`;Z.KANJI=new RegExp(n,"g"),Z.BYTE_KANJI=new RegExp("[^A-Z0-9 $%*+\\-./:]+","g"),Z.BYTE=new RegExp(t,"g"),Z.NUMERIC=new RegExp(r,"g"),Z.ALPHANUMERIC=new RegExp(e,"g");const i=new RegExp("^"+n+"$"),o=new RegExp("^"+r+"$"),s=new RegExp("^[A-Z0-9 $%*+\\-./:]+$");return Z.testKanji=function(l){return i.test(l)},Z.testNumeric=function(l){return o.test(l)},Z.testAlphanumeric=function(l){return s.test(l)},Z}var Vt;function se(){return Vt||(Vt=1,(function(r){const e=hn(),n=bn();r.NUMERIC={id:"Numeric",bit:1,ccBits:[10,12,14]},r.ALPHANUMERIC={id:"Alphanumeric",bit:2,ccBits:[9,11,13]},r.BYTE={id:"Byte",bit:4,ccBits:[8,16,16]},r.KANJI={id:"Kanji",bit:8,ccBits:[8,10,12]},r.MIXED={bit:-1},r.getCharCountIndicator=function(o,s){if(!o.ccBits)throw new Error("Invalid mode: "+o);if(!e.isValid(s))throw new Error("Invalid version: "+s);return s>=1&&s<10?o.ccBits[0]:s<27?o.ccBits[1]:o.ccBits[2]},r.getBestModeForData=function(o){return n.testNumeric(o)?r.NUMERIC:n.testAlphanumeric(o)?r.ALPHANUMERIC:n.testKanji(o)?r.KANJI:r.BYTE},r.toString=function(o){if(o&&o.id)return o.id;throw new Error("Invalid mode")},r.isValid=function(o){return o&&o.bit&&o.ccBits};function t(i){if(typeof i!="string")throw new Error("Param is not a string");switch(i.toLowerCase()){case"numeric":return r.NUMERIC;case"alphanumeric":return r.ALPHANUMERIC;case"kanji":return r.KANJI;case"byte":return r.BYTE;default:throw new Error("Unknown mode: "+i)}}r.from=function(o,s){if(r.isValid(o))return o;try{return t(o)}catch{return s}}})(Ve)),Ve}var Kt;function mr(){return Kt||(Kt=1,(function(r){const e=oe(),n=pn(),t=gt(),i=se(),o=hn(),s=7973,a=e.getBCHDigit(s);function l(h,w,y){for(let b=1;b<=40;b++)if(w<=r.getCapacity(b,y,h))return b}function _(h,w){return i.getCharCountIndicator(h,w)+4}function d(h,w){let y=0;return h.forEach(function(b){const S=_(b.mode,w);y+=S+b.getBitsLength()}),y}function g(h,w){for(let y=1;y<=40;y++)if(d(h,y)<=r.getCapacity(y,w,i.MIXED))return y}r.from=function(w,y){return o.isValid(w)?parseInt(w,10):y},r.getCapacity=function(w,y,b){if(!o.isValid(w))throw new Error("Invalid QR Code version");typeof b>"u"&&(b=i.BYTE);const S=e.getSymbolTotalCodewords(w),R=n.getTotalCodewordsCount(w,y),M=(S-R)*8;if(b===i.MIXED)return M;const f=M-_(b,w);switch(b){case i.NUMERIC:return Math.floor(f/10*3);case i.ALPHANUMERIC:return Math.floor(f/11*2);case i.KANJI:return Math.floor(f/13);case i.BYTE:default:return Math.floor(f/8)}},r.getBestVersionForData=function(w,y){let b;const S=t.from(y,t.M);if(Array.isArray(w)){if(w.length>1)return g(w,S);if(w.length===0)return 1;b=w[0]}else b=w;return l(b.mode,b.getLength(),S)},r.getEncodedBits=function(w){if(!o.isValid(w)||w<7)throw new Error("Invalid QR Code version");let y=w<<12;for(;e.getBCHDigit(y)-a>=0;)y^=s<<e.getBCHDigit(y)-a;return w<<12|y}})(ze)),ze}var Je={},Jt;function yr(){if(Jt)return Je;Jt=1;const r=oe(),e=1335,n=21522,t=r.getBCHDigit(e);return Je.getEncodedBits=function(o,s){const a=o.bit<<3|s;let l=a<<10;for(;r.getBCHDigit(l)-t>=0;)l^=e<<r.getBCHDigit(l)-t;return(a<<10|l)^n},Je}var He={},We,Ht;function $r(){if(Ht)return We;Ht=1;const r=se();function e(n){this.mode=r.NUMERIC,this.data=n.toString()}return e.getBitsLength=function(t){return 10*Math.floor(t/3)+(t%3?t%3*3+1:0)},e.prototype.getLength=function(){return this.data.length},e.prototype.getBitsLength=function(){return e.getBitsLength(this.data.length)},e.prototype.write=function(t){let i,o,s;for(i=0;i+3<=this.data.length;i+=3)o=this.data.substr(i,3),s=parseInt(o,10),t.put(s,10);const a=this.data.length-i;a>0&&(o=this.data.substr(i),s=parseInt(o,10),t.put(s,a*3+1))},We=e,We}var Ye,Wt;function vr(){if(Wt)return Ye;Wt=1;const r=se(),e=["0","1","2","3","4","5","6","7","8","9","A","B","C","D","E","F","G","H","I","J","K","L","M","N","O","P","Q","R","S","T","U","V","W","X","Y","Z"," ","$","%","*","+","-",".","/",":"];function n(t){this.mode=r.ALPHANUMERIC,this.data=t}return n.getBitsLength=function(i){return 11*Math.floor(i/2)+6*(i%2)},n.prototype.getLength=function(){return this.data.length},n.prototype.getBitsLength=function(){return n.getBitsLength(this.data.length)},n.prototype.write=function(i){let o;for(o=0;o+2<=this.data.length;o+=2){let s=e.indexOf(this.data[o])*45;s+=e.indexOf(this.data[o+1]),i.put(s,11)}this.data.length%2&&i.put(e.indexOf(this.data[o]),6)},Ye=n,Ye}var Ge,Yt;function kr(){if(Yt)return Ge;Yt=1;const r=se();function e(n){this.mode=r.BYTE,typeof n=="string"?this.data=new TextEncoder().encode(n):this.data=new Uint8Array(n)}return e.getBitsLength=function(t){return t*8},e.prototype.getLength=function(){return this.data.length},e.prototype.getBitsLength=function(){return e.getBitsLength(this.data.length)},e.prototype.write=function(n){for(let t=0,i=this.data.length;t<i;t++)n.put(this.data[t],8)},Ge=e,Ge}var Qe,Gt;function Er(){if(Gt)return Qe;Gt=1;const r=se(),e=oe();function n(t){this.mode=r.KANJI,this.data=t}return n.getBitsLength=function(i){return i*13},n.prototype.getLength=function(){return this.data.length},n.prototype.getBitsLength=function(){return n.getBitsLength(this.data.length)},n.prototype.write=function(t){let i;for(i=0;i<this.data.length;i++){let o=e.toSJIS(this.data[i]);if(o>=33088&&o<=40956)o-=33088;else if(o>=57408&&o<=60351)o-=49472;else throw new Error("Invalid SJIS character: "+this.data[i]+`
Make sure your charset is UTF-8`);o=(o>>>8&255)*192+(o&255),t.put(o,13)}},Qe=n,Qe}var Xe={exports:{}},Qt;function Cr(){return Qt||(Qt=1,(function(r){var e={single_source_shortest_paths:function(n,t,i){var o={},s={};s[t]=0;var a=e.PriorityQueue.make();a.push(t,0);for(var l,_,d,g,h,w,y,b,S;!a.empty();){l=a.pop(),_=l.value,g=l.cost,h=n[_]||{};for(d in h)h.hasOwnProperty(d)&&(w=h[d],y=g+w,b=s[d],S=typeof s[d]>"u",(S||b>y)&&(s[d]=y,a.push(d,y),o[d]=_))}if(typeof i<"u"&&typeof s[i]>"u"){var R=["Could not find a path from ",t," to ",i,"."].join("");throw new Error(R)}return o},extract_shortest_path_from_predecessor_list:function(n,t){for(var i=[],o=t;o;)i.push(o),n[o],o=n[o];return i.reverse(),i},find_path:function(n,t,i){var o=e.single_source_shortest_paths(n,t,i);return e.extract_shortest_path_from_predecessor_list(o,i)},PriorityQueue:{make:function(n){var t=e.PriorityQueue,i={},o;n=n||{};for(o in t)t.hasOwnProperty(o)&&(i[o]=t[o]);return i.queue=[],i.sorter=n.sorter||t.default_sorter,i},default_sorter:function(n,t){return n.cost-t.cost},push:function(n,t){var i={value:n,cost:t};this.queue.push(i),this.queue.sort(this.sorter)},pop:function(){return this.queue.shift()},empty:function(){return this.queue.length===0}}};r.exports=e})(Xe)),Xe.exports}var Xt;function qr(){return Xt||(Xt=1,(function(r){const e=se(),n=$r(),t=vr(),i=kr(),o=Er(),s=bn(),a=oe(),l=Cr();function _(R){return unescape(encodeURIComponent(R)).length}function d(R,M,f){const k=[];let D;for(;(D=R.exec(f))!==null;)k.push({data:D[0],index:D.index,mode:M,length:D[0].length});return k}function g(R){const M=d(s.NUMERIC,e.NUMERIC,R),f=d(s.ALPHANUMERIC,e.ALPHANUMERIC,R);let k,D;return a.isKanjiModeEnabled()?(k=d(s.BYTE,e.BYTE,R),D=d(s.KANJI,e.KANJI,R)):(k=d(s.BYTE_KANJI,e.BYTE,R),D=[]),M.concat(f,k,D).sort(function(m,q){return m.index-q.index}).map(function(m){return{data:m.data,mode:m.mode,length:m.length}})}function h(R,M){switch(M){case e.NUMERIC:return n.getBitsLength(R);case e.ALPHANUMERIC:return t.getBitsLength(R);case e.KANJI:return o.getBitsLength(R);case e.BYTE:return i.getBitsLength(R)}}function w(R){return R.reduce(function(M,f){const k=M.length-1>=0?M[M.length-1]:null;return k&&k.mode===f.mode?(M[M.length-1].data+=f.data,M):(M.push(f),M)},[])}function y(R){const M=[];for(let f=0;f<R.length;f++){const k=R[f];switch(k.mode){case e.NUMERIC:M.push([k,{data:k.data,mode:e.ALPHANUMERIC,length:k.length},{data:k.data,mode:e.BYTE,length:k.length}]);break;case e.ALPHANUMERIC:M.push([k,{data:k.data,mode:e.BYTE,length:k.length}]);break;case e.KANJI:M.push([k,{data:k.data,mode:e.BYTE,length:_(k.data)}]);break;case e.BYTE:M.push([{data:k.data,mode:e.BYTE,length:_(k.data)}])}}return M}function b(R,M){const f={},k={start:{}};let D=["start"];for(let E=0;E<R.length;E++){const m=R[E],q=[];for(let $=0;$<m.length;$++){const I=m[$],B=""+E+$;q.push(B),f[B]={node:I,lastCount:0},k[B]={};for(let A=0;A<D.length;A++){const P=D[A];f[P]&&f[P].node.mode===I.mode?(k[P][B]=h(f[P].lastCount+I.length,I.mode)-h(f[P].lastCount,I.mode),f[P].lastCount+=I.length):(f[P]&&(f[P].lastCount=I.length),k[P][B]=h(I.length,I.mode)+4+e.getCharCountIndicator(I.mode,M))}}D=q}for(let E=0;E<D.length;E++)k[D[E]].end=0;return{map:k,table:f}}function S(R,M){let f;const k=e.getBestModeForData(R);if(f=e.from(M,k),f!==e.BYTE&&f.bit<k.bit)throw new Error('"'+R+'" cannot be encoded with mode '+e.toString(f)+`.
 Suggested mode is: `+e.toString(k));switch(f===e.KANJI&&!a.isKanjiModeEnabled()&&(f=e.BYTE),f){case e.NUMERIC:return new n(R);case e.ALPHANUMERIC:return new t(R);case e.KANJI:return new o(R);case e.BYTE:return new i(R)}}r.fromArray=function(M){return M.reduce(function(f,k){return typeof k=="string"?f.push(S(k,null)):k.data&&f.push(S(k.data,k.mode)),f},[])},r.fromString=function(M,f){const k=g(M,a.isKanjiModeEnabled()),D=y(k),E=b(D,f),m=l.find_path(E.map,"start","end"),q=[];for(let $=1;$<m.length-1;$++)q.push(E.table[m[$]].node);return r.fromArray(w(q))},r.rawSplit=function(M){return r.fromArray(g(M,a.isKanjiModeEnabled()))}})(He)),He}var Zt;function Tr(){if(Zt)return Me;Zt=1;const r=oe(),e=gt(),n=dr(),t=_r(),i=fr(),o=gr(),s=pr(),a=pn(),l=wr(),_=mr(),d=yr(),g=se(),h=qr();function w(E,m){const q=E.size,$=o.getPositions(m);for(let I=0;I<$.length;I++){const B=$[I][0],A=$[I][1];for(let P=-1;P<=7;P++)if(!(B+P<=-1||q<=B+P))for(let C=-1;C<=7;C++)A+C<=-1||q<=A+C||(P>=0&&P<=6&&(C===0||C===6)||C>=0&&C<=6&&(P===0||P===6)||P>=2&&P<=4&&C>=2&&C<=4?E.set(B+P,A+C,!0,!0):E.set(B+P,A+C,!1,!0))}}function y(E){const m=E.size;for(let q=8;q<m-8;q++){const $=q%2===0;E.set(q,6,$,!0),E.set(6,q,$,!0)}}function b(E,m){const q=i.getPositions(m);for(let $=0;$<q.length;$++){const I=q[$][0],B=q[$][1];for(let A=-2;A<=2;A++)for(let P=-2;P<=2;P++)A===-2||A===2||P===-2||P===2||A===0&&P===0?E.set(I+A,B+P,!0,!0):E.set(I+A,B+P,!1,!0)}}function S(E,m){const q=E.size,$=_.getEncodedBits(m);let I,B,A;for(let P=0;P<18;P++)I=Math.floor(P/3),B=P%3+q-8-3,A=($>>P&1)===1,E.set(I,B,A,!0),E.set(B,I,A,!0)}function R(E,m,q){const $=E.size,I=d.getEncodedBits(m,q);let B,A;for(B=0;B<15;B++)A=(I>>B&1)===1,B<6?E.set(B,8,A,!0):B<8?E.set(B+1,8,A,!0):E.set($-15+B,8,A,!0),B<8?E.set(8,$-B-1,A,!0):B<9?E.set(8,15-B-1+1,A,!0):E.set(8,15-B-1,A,!0);E.set($-8,8,1,!0)}function M(E,m){const q=E.size;let $=-1,I=q-1,B=7,A=0;for(let P=q-1;P>0;P-=2)for(P===6&&P--;;){for(let C=0;C<2;C++)if(!E.isReserved(I,P-C)){let U=!1;A<m.length&&(U=(m[A]>>>B&1)===1),E.set(I,P-C,U),B--,B===-1&&(A++,B=7)}if(I+=$,I<0||q<=I){I-=$,$=-$;break}}}function f(E,m,q){const $=new n;q.forEach(function(C){$.put(C.mode.bit,4),$.put(C.getLength(),g.getCharCountIndicator(C.mode,E)),C.write($)});const I=r.getSymbolTotalCodewords(E),B=a.getTotalCodewordsCount(E,m),A=(I-B)*8;for($.getLengthInBits()+4<=A&&$.put(0,4);$.getLengthInBits()%8!==0;)$.putBit(0);const P=(A-$.getLengthInBits())/8;for(let C=0;C<P;C++)$.put(C%2?17:236,8);return k($,E,m)}function k(E,m,q){const $=r.getSymbolTotalCodewords(m),I=a.getTotalCodewordsCount(m,q),B=$-I,A=a.getBlocksCount(m,q),P=$%A,C=A-P,U=Math.floor($/A),z=Math.floor(B/A),_e=z+1,pt=U-z,$n=new l(pt);let Ee=0;const we=new Array(A),ht=new Array(A);let Ce=0;const vn=new Uint8Array(E.buffer);for(let ae=0;ae<A;ae++){const Te=ae<C?z:_e;we[ae]=vn.slice(Ee,Ee+Te),ht[ae]=$n.encode(we[ae]),Ee+=Te,Ce=Math.max(Ce,Te)}const qe=new Uint8Array($);let bt=0,ee,te;for(ee=0;ee<Ce;ee++)for(te=0;te<A;te++)ee<we[te].length&&(qe[bt++]=we[te][ee]);for(ee=0;ee<pt;ee++)for(te=0;te<A;te++)qe[bt++]=ht[te][ee];return qe}function D(E,m,q,$){let I;if(Array.isArray(E))I=h.fromArray(E);else if(typeof E=="string"){let U=m;if(!U){const z=h.rawSplit(E);U=_.getBestVersionForData(z,q)}I=h.fromString(E,U||40)}else throw new Error("Invalid data");const B=_.getBestVersionForData(I,q);if(!B)throw new Error("The amount of data is too big to be stored in a QR Code");if(!m)m=B;else if(m<B)throw new Error(`
The chosen QR Code version cannot contain this amount of data.
Minimum version required to store current data is: `+B+`.
`);const A=f(m,q,I),P=r.getSymbolSize(m),C=new t(P);return w(C,m),y(C),b(C,m),R(C,q,0),m>=7&&S(C,m),M(C,A),isNaN($)&&($=s.getBestMask(C,R.bind(null,C,q))),s.applyMask($,C),R(C,q,$),{modules:C,version:m,errorCorrectionLevel:q,maskPattern:$,segments:I}}return Me.create=function(m,q){if(typeof m>"u"||m==="")throw new Error("No input text");let $=e.M,I,B;return typeof q<"u"&&($=e.from(q.errorCorrectionLevel,e.M),I=_.from(q.version),B=s.from(q.maskPattern),q.toSJISFunc&&r.setToSJISFunction(q.toSJISFunc)),D(m,I,$,B)},Me}var Ze={},et={},en;function wn(){return en||(en=1,(function(r){function e(n){if(typeof n=="number"&&(n=n.toString()),typeof n!="string")throw new Error("Color should be defined as hex string");let t=n.slice().replace("#","").split("");if(t.length<3||t.length===5||t.length>8)throw new Error("Invalid hex color: "+n);(t.length===3||t.length===4)&&(t=Array.prototype.concat.apply([],t.map(function(o){return[o,o]}))),t.length===6&&t.push("F","F");const i=parseInt(t.join(""),16);return{r:i>>24&255,g:i>>16&255,b:i>>8&255,a:i&255,hex:"#"+t.slice(0,6).join("")}}r.getOptions=function(t){t||(t={}),t.color||(t.color={});const i=typeof t.margin>"u"||t.margin===null||t.margin<0?4:t.margin,o=t.width&&t.width>=21?t.width:void 0,s=t.scale||4;return{width:o,scale:o?4:s,margin:i,color:{dark:e(t.color.dark||"#000000ff"),light:e(t.color.light||"#ffffffff")},type:t.type,rendererOpts:t.rendererOpts||{}}},r.getScale=function(t,i){return i.width&&i.width>=t+i.margin*2?i.width/(t+i.margin*2):i.scale},r.getImageWidth=function(t,i){const o=r.getScale(t,i);return Math.floor((t+i.margin*2)*o)},r.qrToImageData=function(t,i,o){const s=i.modules.size,a=i.modules.data,l=r.getScale(s,o),_=Math.floor((s+o.margin*2)*l),d=o.margin*l,g=[o.color.light,o.color.dark];for(let h=0;h<_;h++)for(let w=0;w<_;w++){let y=(h*_+w)*4,b=o.color.light;if(h>=d&&w>=d&&h<_-d&&w<_-d){const S=Math.floor((h-d)/l),R=Math.floor((w-d)/l);b=g[a[S*s+R]?1:0]}t[y++]=b.r,t[y++]=b.g,t[y++]=b.b,t[y]=b.a}}})(et)),et}var tn;function Sr(){return tn||(tn=1,(function(r){const e=wn();function n(i,o,s){i.clearRect(0,0,o.width,o.height),o.style||(o.style={}),o.height=s,o.width=s,o.style.height=s+"px",o.style.width=s+"px"}function t(){try{return document.createElement("canvas")}catch{throw new Error("You need to specify a canvas element")}}r.render=function(o,s,a){let l=a,_=s;typeof l>"u"&&(!s||!s.getContext)&&(l=s,s=void 0),s||(_=t()),l=e.getOptions(l);const d=e.getImageWidth(o.modules.size,l),g=_.getContext("2d"),h=g.createImageData(d,d);return e.qrToImageData(h.data,o,l),n(g,_,d),g.putImageData(h,0,0),_},r.renderToDataURL=function(o,s,a){let l=a;typeof l>"u"&&(!s||!s.getContext)&&(l=s,s=void 0),l||(l={});const _=r.render(o,s,l),d=l.type||"image/png",g=l.rendererOpts||{};return _.toDataURL(d,g.quality)}})(Ze)),Ze}var tt={},nn;function Rr(){if(nn)return tt;nn=1;const r=wn();function e(i,o){const s=i.a/255,a=o+'="'+i.hex+'"';return s<1?a+" "+o+'-opacity="'+s.toFixed(2).slice(1)+'"':a}function n(i,o,s){let a=i+o;return typeof s<"u"&&(a+=" "+s),a}function t(i,o,s){let a="",l=0,_=!1,d=0;for(let g=0;g<i.length;g++){const h=Math.floor(g%o),w=Math.floor(g/o);!h&&!_&&(_=!0),i[g]?(d++,g>0&&h>0&&i[g-1]||(a+=_?n("M",h+s,.5+w+s):n("m",l,0),l=0,_=!1),h+1<o&&i[g+1]||(a+=n("h",d),d=0)):l++}return a}return tt.render=function(o,s,a){const l=r.getOptions(s),_=o.modules.size,d=o.modules.data,g=_+l.margin*2,h=l.color.light.a?"<path "+e(l.color.light,"fill")+' d="M0 0h'+g+"v"+g+'H0z"/>':"",w="<path "+e(l.color.dark,"stroke")+' d="'+t(d,_,l.margin)+'"/>',y='viewBox="0 0 '+g+" "+g+'"',S='<svg xmlns="http://www.w3.org/2000/svg" '+(l.width?'width="'+l.width+'" height="'+l.width+'" ':"")+y+' shape-rendering="crispEdges">'+h+w+`</svg>
`;return typeof a=="function"&&a(null,S),S},tt}var rn;function Br(){if(rn)return ce;rn=1;const r=ur(),e=Tr(),n=Sr(),t=Rr();function i(o,s,a,l,_){const d=[].slice.call(arguments,1),g=d.length,h=typeof d[g-1]=="function";if(!h&&!r())throw new Error("Callback required as last argument");if(h){if(g<2)throw new Error("Too few arguments provided");g===2?(_=a,a=s,s=l=void 0):g===3&&(s.getContext&&typeof _>"u"?(_=l,l=void 0):(_=l,l=a,a=s,s=void 0))}else{if(g<1)throw new Error("Too few arguments provided");return g===1?(a=s,s=l=void 0):g===2&&!s.getContext&&(l=a,a=s,s=void 0),new Promise(function(w,y){try{const b=e.create(a,l);w(o(b,s,l))}catch(b){y(b)}})}try{const w=e.create(a,l);_(null,o(w,s,l))}catch(w){_(w)}}return ce.create=e.create,ce.toCanvas=i.bind(null,n.render),ce.toDataURL=i.bind(null,n.renderToDataURL),ce.toString=i.bind(null,function(o,s,a){return t.render(o,a)}),ce}var Ir=Br();const Pr=Rn(Ir);function mn({text:r,label:e}){const[n,t]=v("");return Q(()=>{Pr.toString(r,{type:"svg",errorCorrectionLevel:"M",margin:2}).then(i=>t("data:image/svg+xml;charset=utf-8,"+encodeURIComponent(i)),()=>t(""))},[r]),n?p`<img class="qr" src=${n} alt=${e} width="260" height="260" data-testid="qr" />`:null}const Ar=[15,60,1440,10080];function Mr(){const r=Y(),[e,n]=v(r.equivalents[0]?.code||""),[t,i]=v(""),[o,s]=v(""),[a,l]=v(60),[_,d]=v({}),[g,h]=v(null),[w,y]=v(""),[b,S]=v(!1),R=f=>{f.preventDefault(),y(""),h(null);const k={};try{ke(t,ie(e)),/^0*(\.0*)?$/.test(t)&&(k.amount=c("pay.positive"))}catch(D){k.amount=O(D)}if(d(k),!Object.keys(k).length){if(typeof mt!="function")return y(c("invoice.unsupported"));try{const D=new Date(Date.now()+a*6e4).toISOString().replace(/\.\d+Z$/,"Z"),E=mt(r.identity,{hub:r.client.hubPid,equivalent:e,amount:t,...o?{description:o}:{},expires_at:D});h(E)}catch(D){y(O(D))}}},M=async()=>{try{await navigator.clipboard.writeText(g.uri),S(!0)}catch{S(!1)}};return p`<section data-testid="request">
    <h1>${c("nav.request")}</h1>
    <form class="card" onSubmit=${R} novalidate>
      <p class="note">${c("request.explain")}</p>
      <${F} id="req-eq" label=${c("equivalent")}>
        <select id="req-eq" value=${e} onChange=${f=>n(f.currentTarget.value)}>
          ${r.equivalents.map(f=>p`<option value=${f.code}>${f.code}</option>`)}
        </select>
      <//>
      <${F} id="req-amount" label=${c("amount")} hint=${c("amount.hint",{n:ie(e)})} error=${_.amount}>
        <input id="req-amount" inputmode="decimal" autocomplete="off" value=${t} onInput=${f=>i(f.currentTarget.value.trim())} aria-describedby="req-amount-hint" />
      <//>
      <${F} id="req-desc" label=${c("pay.description")}>
        <input id="req-desc" maxlength="200" value=${o} onInput=${f=>s(f.currentTarget.value)} />
      <//>
      <${F} id="req-expiry" label=${c("request.expiry")}>
        <select id="req-expiry" value=${a} onChange=${f=>l(Number(f.currentTarget.value))}>
          ${Ar.map(f=>p`<option value=${f}>${c("request.minutes_"+f)}</option>`)}
        </select>
      <//>
      <button type="submit">${c("request.make")}</button>
    </form>
    <${H} kind="error">${w}<//>
    ${g&&p`<article class="card request-made" data-testid="request-made">
      <h2>${c("request.show")}</h2>
      <p class="big">${g.invoice.amount} ${g.invoice.equivalent}</p>
      <${mn} text=${g.uri} label=${c("request.qr_label",{amount:g.invoice.amount,equivalent:g.invoice.equivalent})} />
      <${F} id="req-link" label=${c("request.link")}>
        <textarea id="req-link" readonly rows="3" data-testid="request-link" value=${g.uri}></textarea>
      <//>
      <button type="button" class="secondary" onClick=${M}>${b?c("request.copied"):c("request.copy")}</button>
    </article>`}
  </section>`}const Lr=20;function Nr(){const r=Y(),[e,n]=v(""),[t,i]=v(""),[o,s]=v(""),[a,l]=v([]),[_,d]=v(null),[g,h]=v(""),w=()=>({limit:Lr,...e?{direction:e}:{},...t?{equivalent:t}:{},...o?{status:o}:{}}),y=async b=>{try{const S=await r.client.historyPage(w(),b||void 0);l(b?[...a,...S.items]:S.items),d(S.next_cursor||null),h("")}catch(S){h(O(S))}};return Q(()=>{y(null)},[e,t,o,r.refresh]),p`<section data-testid="history">
    <h1>${c("nav.history")}</h1>
    <div class="card filters">
      <${F} id="h-dir" label=${c("history.direction")}>
        <select id="h-dir" value=${e} onChange=${b=>n(b.currentTarget.value)}>
          <option value="">${c("history.all")}</option>
          <option value="sent">${c("history.sent")}</option>
          <option value="received">${c("history.received")}</option>
        </select>
      <//>
      <${F} id="h-eq" label=${c("equivalent")}>
        <select id="h-eq" value=${t} onChange=${b=>i(b.currentTarget.value)}>
          <option value="">${c("history.all")}</option>
          ${r.equivalents.map(b=>p`<option value=${b.code}>${b.code}</option>`)}
        </select>
      <//>
      <${F} id="h-status" label=${c("history.status")}>
        <select id="h-status" value=${o} onChange=${b=>s(b.currentTarget.value)}>
          <option value="">${c("history.all")}</option>
          <option value="committed">${c("status.committed")}</option>
          <option value="aborted">${c("status.aborted")}</option>
          <option value="prepared">${c("status.prepared")}</option>
        </select>
      <//>
    </div>
    <${H} kind="error">${g}<//>
    ${a.length===0&&!g&&p`<p class="card">${c("history.none")}</p>`}
    <ul class="history">
      ${a.map(b=>{const S=b.payer===r.me.pid;return p`<li key=${b.tx_id} class="card payment ${S?"sent":"received"}" data-testid="payment">
          <div class="amount ${S?"negative":""}">${S?"−":"+"}${b.amount} ${b.equivalent}</div>
          <div>${S?c("history.to"):c("history.from")} <${K} pid=${S?b.payee:b.payer} /></div>
          ${b.description&&p`<div class="desc">${b.description}</div>`}
          <small>${c("status."+b.status)} · <time datetime=${b.created_at}>${new Date(b.created_at).toLocaleString()}</time></small>
        </li>`})}
    </ul>
    ${_&&p`<button class="secondary" onClick=${()=>y(_)}>${c("history.more")}</button>`}
  </section>`}function on({edges:r}){return p`<ul class="edges">
    ${r.map((e,n)=>p`<li key=${n}><${K} pid=${e.debtor} /> → <${K} pid=${e.creditor} />: <strong>${e.amount}</strong></li>`)}
  </ul>`}function Dr(){const r=Y(),[e,n]=v([]),[t,i]=v([]),[o,s]=v(null),a=async()=>{const[d,g]=await Promise.all([r.client.clearingProposals(),r.client.clearings()]);n(d),i(g)};Q(()=>{a().catch(d=>s({kind:"error",text:O(d)}))},[r.refresh]);const l=async(d,g)=>{s(null);try{const h=await r.client.consent(d,g);s({kind:"ok",text:c(g==="accept"?"clearing.accepted":"clearing.rejected",{status:h.status})}),await a(),X()}catch(h){s({kind:"error",text:O(h)})}},_=d=>d.consent_required_from.includes(r.me.pid)&&!d.accepted_by.includes(r.me.pid);return p`<section data-testid="clearing">
    <h1>${c("nav.clearing")}</h1>
    <p class="note">${c("clearing.explain")}</p>
    <${H} kind=${o?.kind} testid="clearing-message">${o?.text}<//>
    <h2>${c("clearing.proposals")}</h2>
    ${e.length===0&&p`<p class="card">${c("clearing.no_proposals")}</p>`}
    ${e.map(d=>{const h=(typeof d.proposal=="string"?JSON.parse(d.proposal):d.proposal).payload.edges;return p`<article class="card proposal" key=${d.clearing_id} data-testid="proposal">
        <h3>${c("clearing.proposal",{equivalent:d.equivalent})}</h3>
        <${on} edges=${h} />
        <small>${c("clearing.expires",{at:new Date(d.expires_at).toLocaleString()})}</small>
        ${_(d)?p`<div class="actions">
              <button onClick=${()=>l(d,"accept")}>${c("clearing.accept")}</button>
              <button class="danger" onClick=${()=>l(d,"reject")}>${c("clearing.reject")}</button>
            </div>`:p`<p>${c("clearing.waiting")}</p>`}
      </article>`})}
    <h2>${c("clearing.done")}</h2>
    ${t.length===0&&p`<p class="card">${c("clearing.none_done")}</p>`}
    ${t.map(d=>p`<article class="card" key=${d.clearing_id} data-testid="cleared">
      <h3>${c("clearing.cleared_at",{equivalent:d.equivalent,at:new Date(d.at).toLocaleString()})}</h3>
      <${on} edges=${d.edges.filter(g=>g.debtor===r.me.pid||g.creditor===r.me.pid)} />
    </article>`)}
  </section>`}const nt=[26,20,15,12],at=2*Math.PI;function Fr(r,e){let n=0,t=0;for(const i of r)n+=Math.cos(i),t+=Math.sin(i);return Math.hypot(n,t)<1e-9?e:Math.atan2(t,n)}function Ur(r,e){const n=r.length;if(!(n<2))for(let t=0;t<200;t++){let i=!1;for(let o=0;o<n;o++){const s=r[o],a=r[(o+1)%n],l=o+1<n?a.angle-s.angle:a.angle+at-s.angle,_=e-l;_>1e-6&&(s.angle-=_/2,a.angle+=_/2,i=!0)}if(!i)return}}function xr(r,e,n){const t=n/2,i=Math.max(1,...r.map(d=>d.hops)),o=nt[Math.min(i,3)]+14,s=d=>(t-o)*d/i,a=new Map(r.map(d=>[d.pid,[]]));for(const d of e)a.get(d.creditor)?.push(d.debtor),a.get(d.debtor)?.push(d.creditor);const l=new Map,_=r.find(d=>d.hops===0)?.pid;for(let d=0;d<=i;d++){const g=r.filter(y=>y.hops===d);if(d===0){g.forEach(y=>l.set(y.pid,{x:t,y:t,r:nt[0],angle:0}));continue}const h=g.map((y,b)=>{const S=a.get(y.pid).filter(R=>l.has(R)&&R!==_).map(R=>l.get(R).angle);return{m:y,angle:Fr(S,-Math.PI/2+at*b/g.length)}}).sort((y,b)=>y.angle-b.angle||(y.m.pid<b.m.pid?-1:1)),w=nt[Math.min(d,3)];Ur(h,Math.min(at/h.length,(2*w+16)/s(d)));for(const y of h)l.set(y.m.pid,{x:t+s(d)*Math.cos(y.angle),y:t+s(d)*Math.sin(y.angle),r:w,angle:y.angle})}return l}function Or(r,e){const n=Math.hypot(e.x-r.x,e.y-r.y)||1,t=(e.x-r.x)/n,i=(e.y-r.y)/n;return{x1:r.x+t*r.r,y1:r.y+i*r.r,x2:e.x-t*(e.r+2),y2:e.y-i*(e.r+2)}}function jr(r,e){const n=new Map(r.map(i=>[i.pid,i.hops])),t=new Map;for(const i of e)for(const[o,s]of[[i.creditor,i.debtor],[i.debtor,i.creditor]])n.get(o)>=2&&n.get(s)===n.get(o)-1&&!t.has(o)&&t.set(o,s);return t}const rt=340,zr=["plain","owe","owed","debt"];function Vr(r,e){return r.in_debt?r.debtor===e?"owe":r.creditor===e?"owed":"debt":"plain"}function Kr(){const r=Y(),[e,n]=v(r.equivalents[0]?.code||""),[t,i]=v(2),[o,s]=v([]),[a,l]=v(null),[_,d]=v("");Q(()=>{e&&(d(""),r.client.debts(e).then(s,f=>d(O(f))),r.client.network(e,t).then(l,f=>d(O(f))))},[e,t,r.refresh]);const g=r.me?.pid,h=a?a.members:[],w=a?a.lines:[],y=xr(h,w,rt),b=jr(h,w),S=new Map(h.map(f=>[f.pid,f.display_name||f.pid.slice(0,6)])),R=h.filter(f=>f.hops===1).length,M=h.filter(f=>f.hops>1);return p`<section data-testid="network">
    <h1>${c("nav.network")}</h1>
    <div class="card">
      <div class="row">
        <${F} id="net-eq" label=${c("equivalent")}>
          <select id="net-eq" value=${e} onChange=${f=>n(f.currentTarget.value)}>
            ${r.equivalents.map(f=>p`<option value=${f.code}>${f.code}</option>`)}
          </select>
        <//>
        <${F} id="net-depth" label=${c("network.depth")}>
          <select id="net-depth" value=${t} onChange=${f=>i(Number(f.currentTarget.value))}>
            ${[1,2,3].map(f=>p`<option value=${f}>${c("network.hops",{n:f})}</option>`)}
          </select>
        <//>
      </div>
      <${H} kind="error">${_}<//>
      <svg class="network" viewBox=${`0 0 ${rt} ${rt}`} role="img" data-testid="network-picture"
        aria-label=${c("network.picture",{n:R,m:M.length})}>
        <defs>
          ${zr.map(f=>p`<marker id=${"arrow-"+f} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class=${"head "+f} />
          </marker>`)}
        </defs>
        ${w.map(f=>{const k=y.get(f.creditor),D=y.get(f.debtor);if(!k||!D)return null;const E=Vr(f,g);return p`<line key=${f.creditor+f.debtor} ...${Or(k,D)} class=${"edge "+E} marker-end=${`url(#arrow-${E})`} />`})}
        ${h.map(f=>{const k=y.get(f.pid),D=f.hops===0?c("you"):S.get(f.pid).slice(0,8),E=f.hops>1;return p`<g key=${f.pid} data-testid="network-member" data-hops=${f.hops}>
            <circle cx=${k.x} cy=${k.y} r=${k.r} class=${f.hops===0?"me":"member hop"+f.hops} />
            <text x=${k.x} y=${E?k.y+k.r+10:k.y+4} text-anchor="middle"
              class=${f.hops===0?"me-label":E?"member-label far":"member-label"}>${D}</text>
          </g>`})}
      </svg>
      <p class="legend">
        <span class="key plain"></span> ${c("network.trusts")}
        <span class="key owe"></span> ${c("network.i_owe")}
        <span class="key owed"></span> ${c("network.owes_me")}
        <span class="key debt"></span> ${c("network.debt_private")}
      </p>
      ${a&&a.truncated&&p`<${H}>${c("network.truncated",{n:h.length})}<//>`}
    </div>
    <h2>${c("network.mine")}</h2>
    <ul class="card people">
      ${o.length===0&&p`<li>${c("network.alone")}</li>`}
      ${o.map(f=>p`<li key=${f.pid} data-testid="neighbour">
        <${K} pid=${f.pid} />
        <div>${c("network.row",{i_owe:f.i_owe,owes_me:f.owes_me,given:f.limit_given,received:f.limit_received,equivalent:e})}</div>
      </li>`)}
    </ul>
    ${M.length>0&&p`<h2>${c("network.farther")}</h2>
      <ul class="card people">
        ${M.map(f=>p`<li key=${f.pid} data-testid="distant">
          <${K} pid=${f.pid} />
          <div>${c("network.via",{n:f.hops,name:S.get(b.get(f.pid))||"?"})}</div>
        </li>`)}
      </ul>`}
  </section>`}function yn({event:r}){const e=r.data||{};switch(r.kind){case"payment_received":return p`<span>${c("event.received",{amount:e.amount,equivalent:e.equivalent})} <${K} pid=${e.payer} /></span>`;case"payment_sent":return p`<span>${c("event.sent",{amount:e.amount,equivalent:e.equivalent})} <${K} pid=${e.payee} /></span>`;case"payment_relayed":return p`<span>${c("event.relayed",{amount:e.amount,equivalent:e.equivalent})}</span>`;case"payment_aborted":return p`<span>${c("event.aborted",{amount:e.amount,equivalent:e.equivalent})}</span>`;case"trust_line_changed":return e.status==="closed"?p`<span>${c("event.line_closed",{equivalent:e.equivalent})} <${K} pid=${e.creditor===T.me?.pid?e.debtor:e.creditor} /></span>`:p`<span>${c("event.line_set",{limit:e.limit,equivalent:e.equivalent})} <${K} pid=${e.creditor} /> → <${K} pid=${e.debtor} /></span>`;case"clearing_proposed":return p`<span>${c("event.clearing_proposed",{equivalent:e.equivalent})}</span>`;case"clearing_committed":return p`<span>${c("event.clearing_committed",{equivalent:e.equivalent})}</span>`;case"participant_status_changed":return p`<span>${c("event.status",{status:e.status})}</span>`;default:return p`<span>${r.kind}</span>`}}function Jr(){const r=Y();return Q(()=>{r.unread&&(r.unread=0,X())},[r.notifications.length]),p`<section data-testid="notifications">
    <h1>${c("nav.notifications")}</h1>
    ${r.notifications.length===0&&p`<p class="card">${c("notifications.none")}</p>`}
    <ul class="notifications">
      ${r.notifications.map(e=>p`<li key=${e.id} class="card" data-kind=${e.kind}><${yn} event=${e} /></li>`)}
    </ul>
  </section>`}function Hr(){const r=Y(),e=()=>{const n=new Blob([r.record.keyFile],{type:"application/json"}),t=document.createElement("a");t.href=URL.createObjectURL(n),t.download=`geo-key-${r.me.pid.slice(0,8)}.json`,t.click(),setTimeout(()=>URL.revokeObjectURL(t.href),1e3)};return p`<section data-testid="settings">
    <h1>${c("nav.settings")}</h1>
    <div class="card">
      <h2>${c("settings.me")}</h2>
      <p><strong>${r.me.display_name}</strong></p>
      <p><code class="pid" data-testid="my-pid">${r.me.pid}</code></p>
      <${mn} text=${r.me.pid} label=${c("settings.pid_qr")} />
    </div>
    <div class="card">
      <h2>${c("settings.key")}</h2>
      <p class="note">${c("welcome.secret")}</p>
      <button class="secondary" onClick=${e}>${c("settings.export")}</button>
    </div>
    <div class="card">
      <h2>${c("language")}</h2>
      <${an} />
    </div>
    <div class="card actions">
      <button class="secondary" onClick=${dn}>${c("settings.lock")}</button>
      <button class="danger" onClick=${()=>confirm(c("unlock.forget_confirm"))&&_n()}>${c("unlock.forget")}</button>
    </div>
  </section>`}const ct=[["/","nav.home",tr],["/pay","nav.pay",lr],["/request","nav.request",Mr],["/trust","nav.trust",rr],["/history","nav.history",Nr],["/clearing","nav.clearing",Dr],["/network","nav.network",Kr],["/notifications","nav.notifications",Jr],["/settings","nav.settings",Hr]];function Wr(){const[r,e]=v("welcome"),n=()=>e("welcome");return r==="create"?p`<${Qn} back=${n} />`:r==="restore"?p`<${Xn} back=${n} />`:p`<${Yn} go=${e} />`}function Yr(){const r=Y();return r.toast?p`<div class="toast" role="status" data-testid="toast">
    <${yn} event=${r.toast} />
    <button class="link" aria-label=${c("close")} onClick=${()=>{r.toast=null,X()}}>×</button>
  </div>`:null}function Gr(){const r=Y(),e=r.path.split("?")[0];return p`<nav aria-label=${c("nav.label")}>
    <ul>
      ${ct.map(([n,t])=>p`<li key=${n}>
        <a href=${n} aria-current=${e===n?"page":void 0}
          onClick=${i=>{i.preventDefault(),be(n)}}>
          ${c(t)}${n==="/notifications"&&r.unread?p` <span class="badge" aria-label=${c("notifications.unread",{n:r.unread})}>${r.unread}</span>`:""}
        </a>
      </li>`)}
    </ul>
  </nav>`}function Qr(){Tn();const r=Y();let e;if(r.stage==="loading")e=p`<p>${c("working")}</p>`;else if(r.stage==="welcome")e=p`<${Wr} />`;else if(r.stage==="locked")e=p`<${Zn} />`;else if(r.stage==="register")e=p`<${er} />`;else{const t=r.path.split("?")[0],i=ct.find(([o])=>o===t)||ct[0];e=p`<${i[2]} key=${i[0]} />`}const n=r.stage==="ready";return p`<div class="app ${n?"with-nav":""}">
    <a class="skip" href="#main">${c("skip")}</a>
    <header>
      <span class="brand" aria-hidden="true">GEO</span>
      <span class="title">${c("app.wallet")}</span>
      <${an} />
    </header>
    <${Sn} />
    ${n&&p`<${Gr} />`}
    <main id="main" tabindex="-1">${e}</main>
    ${n&&p`<${Yr} />`}
  </div>`}Cn(p`<${Qr} />`,document.getElementById("app"));qn();Vn().then(()=>Xr());function Xr(){performance.mark("interactive"),document.body.setAttribute("data-ready","1")}
