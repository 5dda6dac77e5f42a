// The routes. The URL scheme (/, /flights/:flightId, /bookings/:bookingId, /bookings, /login,
// /register, /agent, /explorer) is part of what the app promises: links to it are shared.
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { Loading } from './components/Notices.tsx';
import { AgentPage } from './pages/AgentPage.tsx';
import { LoginPage, RegisterPage } from './pages/AuthPages.tsx';
import { BookingPage } from './pages/BookingPage.tsx';
import { FlightPage } from './pages/FlightPage.tsx';
import { MyBookingsPage } from './pages/MyBookingsPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { SearchPage } from './pages/SearchPage.tsx';

const ExplorerPage = lazy(() => import('./explorer/ExplorerPage.tsx'));

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<SearchPage />} />
        <Route path="flights/:flightId" element={<FlightPage />} />
        <Route path="bookings" element={<MyBookingsPage />} />
        <Route path="bookings/:bookingId" element={<BookingPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path="agent" element={<AgentPage />} />
        <Route
          path="explorer"
          element={
            <Suspense fallback={<Loading label="Loading the explorer…" />}>
              <ExplorerPage />
            </Suspense>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
