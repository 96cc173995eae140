//! The page's handle on the Web Worker: starts it, queues requests until it is ready,
//! and hands every decoded [`Response`] to a callback, or [`WorkerEvent::Stopped`] when the
//! worker died (a trap, out of memory: its `error` event) or sent what cannot be decoded
//! (`messageerror`). `restart` cancels whatever the worker is doing by terminating it and
//! starting a fresh one.

use std::{cell::RefCell, rc::Rc};

use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use model::protocol::{Request, Response};

/// URL of the loader script, relative to the page so that sub-path hosting works.
const WORKER_LOADER: &str = "worker-loader.js";

/// What the page hears from the worker.
pub enum WorkerEvent {
    Response(Response),
    /// The worker stopped or garbled a message; the text says what the browser reported.
    Stopped(String),
}

type Callback = Rc<dyn Fn(WorkerEvent)>;

#[derive(Clone)]
pub struct WorkerClient {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    worker: Worker,
    ready: bool,
    /// Envelopes posted before the worker said `Ready` would be lost: they wait here.
    queued: Vec<JsValue>,
    on_response: Callback,
    /// Keep the current worker's handlers alive.
    _handlers: Handlers,
}

impl WorkerClient {
    pub fn spawn(on_event: impl Fn(WorkerEvent) + 'static) -> Result<Self, String> {
        let on_response: Callback = Rc::new(on_event);
        let inner = Rc::new_cyclic(|weak: &std::rc::Weak<RefCell<Inner>>| {
            let (worker, handlers) = new_worker(weak.clone(), on_response.clone());
            RefCell::new(Inner { worker, ready: false, queued: Vec::new(), on_response, _handlers: handlers })
        });
        if inner.borrow().worker.is_undefined() {
            return Err("cannot start the worker".into());
        }
        Ok(Self { inner })
    }

    /// Terminates the worker (cancelling its work) and starts a fresh one.
    pub fn restart(&self) {
        let weak = Rc::downgrade(&self.inner);
        let mut inner = self.inner.borrow_mut();
        inner.worker.terminate();
        let (worker, handlers) = new_worker(weak, inner.on_response.clone());
        inner.worker = worker;
        inner._handlers = handlers;
        inner.ready = false;
        inner.queued.clear();
    }

    /// Sends a request, with the `File` for [`Request::KeepFile`].
    pub fn send(&self, request: &Request, file: Option<&web_sys::File>) {
        let envelope = envelope(request);
        if let Some(file) = file {
            let _ = js_sys::Reflect::set(&envelope, &"file".into(), file);
        }
        self.post(envelope);
    }

    /// Sends a request with its `File`s, in order ([`Request::LoadFiles`]).
    pub fn send_files(&self, request: &Request, files: &[web_sys::File]) {
        let envelope = envelope(request);
        let list: js_sys::Array = files.iter().collect();
        let _ = js_sys::Reflect::set(&envelope, &"files".into(), &list);
        self.post(envelope);
    }

    fn post(&self, envelope: js_sys::Object) {
        let mut inner = self.inner.borrow_mut();
        if inner.ready {
            let _ = inner.worker.post_message(&envelope);
        } else {
            inner.queued.push(envelope.into());
        }
    }
}

/// `{ request }`: the typed request as a plain object (files are added beside it).
fn envelope(request: &Request) -> js_sys::Object {
    let envelope = js_sys::Object::new();
    let encoded = serde_wasm_bindgen::to_value(request).unwrap_or(JsValue::NULL);
    let _ = js_sys::Reflect::set(&envelope, &"request".into(), &encoded);
    envelope
}

struct Handlers {
    _message: Closure<dyn FnMut(MessageEvent)>,
    _error: Closure<dyn FnMut(ErrorEvent)>,
    _message_error: Closure<dyn FnMut(MessageEvent)>,
}

fn new_worker(weak: std::rc::Weak<RefCell<Inner>>, on_event: Callback) -> (Worker, Handlers) {
    let worker = match Worker::new(WORKER_LOADER) {
        Ok(w) => w,
        Err(e) => {
            web_sys::console::error_1(&e);
            JsValue::UNDEFINED.unchecked_into()
        }
    };
    let on_message = on_event.clone();
    let message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let response = match serde_wasm_bindgen::from_value::<Response>(event.data()) {
            Ok(r) => r,
            Err(e) => return on_message(WorkerEvent::Stopped(format!("the worker sent a message the page cannot read ({e})"))),
        };
        if response == Response::Ready {
            if let Some(inner) = weak.upgrade() {
                flush(&inner);
            }
        }
        on_message(WorkerEvent::Response(response));
    });
    let on_error = on_event.clone();
    let error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
        event.prevent_default(); // reported on the page instead of only in the console
        let what = event.message();
        on_error(WorkerEvent::Stopped(if what.is_empty() { "the worker stopped".into() } else { what }));
    });
    let message_error = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
        on_event(WorkerEvent::Stopped("a message from the worker could not be decoded".into()));
    });
    if !worker.is_undefined() {
        worker.set_onmessage(Some(message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(error.as_ref().unchecked_ref()));
        worker.set_onmessageerror(Some(message_error.as_ref().unchecked_ref()));
    }
    (worker, Handlers { _message: message, _error: error, _message_error: message_error })
}

fn flush(inner: &Rc<RefCell<Inner>>) {
    let mut inner = inner.borrow_mut();
    inner.ready = true;
    for envelope in std::mem::take(&mut inner.queued) {
        let _ = inner.worker.post_message(&envelope);
    }
}
